import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';

/**
 * TLS and credentials of a NATS connection, the same for the control plane and every agent
 * (`FLEETYARD_NATS_*`, flags of `fleetyard server` and `fleetyard agent`). A server that
 * requires them refuses a client without them; see docs/nats-server.conf for a deployment that
 * requires TLS with client certificates and gives each kind of client only its own subjects.
 *
 * Exactly one way to authenticate may be chosen: user and password, a token, an NKey seed file,
 * or a creds file (a user JWT and its NKey seed, for servers run in operator mode).
 */
export interface NatsSecurity {
  /** CA bundle that signs the server's certificate (default: the system's CAs). */
  tlsCa?: string | undefined;
  /** This client's certificate and key, for servers that verify clients (mutual TLS). */
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** Insist on TLS even without files (a server certificate from a public CA). */
  tls?: boolean | undefined;
  user?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
  /** File holding an NKey user seed (`SU…`). */
  nkeySeedFile?: string | undefined;
  /** A `.creds` file (user JWT + seed). */
  credsFile?: string | undefined;
}

export const NATS_SECURITY_ENV = {
  tlsCa: 'FLEETYARD_NATS_TLS_CA',
  tlsCert: 'FLEETYARD_NATS_TLS_CERT',
  tlsKey: 'FLEETYARD_NATS_TLS_KEY',
  user: 'FLEETYARD_NATS_USER',
  password: 'FLEETYARD_NATS_PASSWORD',
  token: 'FLEETYARD_NATS_TOKEN',
  nkeySeedFile: 'FLEETYARD_NATS_NKEY_SEED',
  credsFile: 'FLEETYARD_NATS_CREDS',
} as const;

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
