import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';

import type { NatsSecurity } from './nats-security-settings.ts';

// The settings are apart from the NATS client, so the CLI's flags need not load it.
export { NATS_SECURITY_ENV, type NatsSecurity } from './nats-security-settings.ts';

/** The connection options these settings mean; throws a readable error for a bad combination. */
export function natsConnectOptions(s: NatsSecurity = {}): Pick<NodeConnectionOptions, 'tls' | 'user' | 'pass' | 'token' | 'authenticator'> {
  const ways = [s.user !== undefined || s.password !== undefined, s.token !== undefined, s.nkeySeedFile !== undefined, s.credsFile !== undefined];
  if (ways.filter(Boolean).length > 1) {
    throw new Error('NATS credentials: choose one of user/password, token, NKey seed or creds file');
  }
  if (s.password !== undefined && s.user === undefined) throw new Error('NATS credentials: a password needs a user (FLEETYARD_NATS_USER)');
  if ((s.tlsCert === undefined) !== (s.tlsKey === undefined)) {
    throw new Error('NATS TLS: a client certificate and its key go together (FLEETYARD_NATS_TLS_CERT and FLEETYARD_NATS_TLS_KEY)');
  }
  const out: Pick<NodeConnectionOptions, 'tls' | 'user' | 'pass' | 'token' | 'authenticator'> = {};
  if (s.tls || s.tlsCa || s.tlsCert) {
    // Files are read here, at start, so a missing one is a clear error rather than a reconnect loop.
    out.tls = {
      ...(s.tlsCa ? { ca: readFileSync(s.tlsCa, 'utf8') } : {}),
      ...(s.tlsCert && s.tlsKey ? { cert: readFileSync(s.tlsCert, 'utf8'), key: readFileSync(s.tlsKey, 'utf8') } : {}),
    };
  }
  if (s.user !== undefined) {
    out.user = s.user;
    if (s.password !== undefined) out.pass = s.password;
  }
  if (s.token !== undefined) out.token = s.token;
  if (s.nkeySeedFile !== undefined) {
    const seed = readFileSync(s.nkeySeedFile, 'utf8').trim();
    if (!/^SU[A-Z2-7]{56}$/.test(seed)) throw new Error(`${s.nkeySeedFile} does not hold an NKey user seed (SU…)`);
    out.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (s.credsFile !== undefined) out.authenticator = credsAuthenticator(readFileSync(s.credsFile));
  return out;
}
