import { Option, type Command } from 'commander';
import { NATS_SECURITY_ENV, type NatsSecurity } from '../bus/nats-security-settings.ts';

/** The flags every NATS client of Fleetyard takes (`server`, `agent`), each also an env var. */
export interface NatsSecurityFlags {
  natsTls?: boolean;
  natsTlsCa?: string;
  natsTlsCert?: string;
  natsTlsKey?: string;
  natsUser?: string;
  natsPassword?: string;
  natsToken?: string;
  natsNkeySeed?: string;
  natsCreds?: string;
}

export function addNatsSecurityOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--nats-tls', 'require TLS to NATS even without a CA file').env('FLEETYARD_NATS_TLS'))
    .addOption(new Option('--nats-tls-ca <file>', 'CA bundle that signed the NATS server certificate').env(NATS_SECURITY_ENV.tlsCa))
    .addOption(new Option('--nats-tls-cert <file>', 'client certificate for NATS (mutual TLS)').env(NATS_SECURITY_ENV.tlsCert))
    .addOption(new Option('--nats-tls-key <file>', 'key of the client certificate').env(NATS_SECURITY_ENV.tlsKey))
    .addOption(new Option('--nats-user <name>', 'NATS user').env(NATS_SECURITY_ENV.user))
    .addOption(new Option('--nats-password <password>', 'NATS password (prefer the env var: flags show in ps)').env(NATS_SECURITY_ENV.password))
    .addOption(new Option('--nats-token <token>', 'NATS token (prefer the env var)').env(NATS_SECURITY_ENV.token))
    .addOption(new Option('--nats-nkey-seed <file>', 'file holding the NKey user seed (SU…)').env(NATS_SECURITY_ENV.nkeySeedFile))
    .addOption(new Option('--nats-creds <file>', 'NATS .creds file (user JWT and seed)').env(NATS_SECURITY_ENV.credsFile));
}

export function natsSecurityFrom(f: NatsSecurityFlags): NatsSecurity {
  return {
    tls: f.natsTls === true || (typeof f.natsTls === 'string' && /^(1|true|yes)$/i.test(f.natsTls)),
    tlsCa: f.natsTlsCa || undefined,
    tlsCert: f.natsTlsCert || undefined,
    tlsKey: f.natsTlsKey || undefined,
    user: f.natsUser || undefined,
    password: f.natsPassword || undefined,
    token: f.natsToken || undefined,
    nkeySeedFile: f.natsNkeySeed || undefined,
    credsFile: f.natsCreds || undefined,
  };
}
