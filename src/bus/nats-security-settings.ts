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
