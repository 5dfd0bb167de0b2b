import { resolve } from 'node:path';

/**
 * Configuration: environment variables, each also a flag of `fleetyard server`. Embedded defaults
 * need no setup at all: SQLite in the data directory, the in-process bus, this machine as a host.
 */
export interface ControlPlaneConfig {
  dataDir: string;
  listen: string;
  databaseUrl: string | undefined;
  natsUrl: string | undefined;
  /** Namespace on a shared NATS server; several installations (or tests) can share one server. */
  natsNamespace: string | undefined;
  /** Run this machine's agent inside the control plane (default true; false needs NATS). */
  embeddedAgent: boolean;
  /** Bridge and address pool of the default network; link-local so it is never routed outside. */
  networkBridge: string;
  networkCidr: string;
  /** How often every physical server's BMC is asked for its power state. */
  powerPollMs: number;
}

export const DEFAULTS = {
  dataDir: './.fleetyard',
  listen: '127.0.0.1:8080',
  networkBridge: 'fy0',
  networkCidr: '169.254.64.0/22',
  powerPollSeconds: 60,
} as const;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ControlPlaneConfig {
  return {
    dataDir: resolve(env.FLEETYARD_DATA_DIR ?? DEFAULTS.dataDir),
    listen: env.FLEETYARD_LISTEN ?? DEFAULTS.listen,
    databaseUrl: env.FLEETYARD_DATABASE_URL || undefined,
    natsUrl: env.FLEETYARD_NATS_URL || undefined,
    natsNamespace: env.FLEETYARD_NATS_NAMESPACE || undefined,
    embeddedAgent: !/^(0|false|no)$/i.test(env.FLEETYARD_EMBEDDED_AGENT ?? ''),
    networkBridge: env.FLEETYARD_NETWORK_BRIDGE ?? DEFAULTS.networkBridge,
    networkCidr: env.FLEETYARD_NETWORK_CIDR ?? DEFAULTS.networkCidr,
    powerPollMs: seconds(env.FLEETYARD_POWER_POLL_SECONDS, 'FLEETYARD_POWER_POLL_SECONDS', DEFAULTS.powerPollSeconds) * 1000,
  };
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new Error(`FLEETYARD_LISTEN must be HOST:PORT, got "${listen}"`);
  return { host: (m[1] ?? m[2]) as string, port };
}

/** A positive number of seconds from the environment (fractions allowed), or the default. */
function seconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new Error(`${name} must be a number of seconds between 0 and 86400, got "${value}"`);
  return n;
}
