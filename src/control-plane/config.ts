import { delimiter, resolve } from 'node:path';
import { PLACEMENT_POLICIES, type PlacementPolicy } from '../domain/placement-constraints.ts';
import { DEFAULT_TENANT_POOL, FIRST_TENANT_VNI, type TenantPool } from '../cloud/tenant-networks.ts';
import type { FencingMethod } from '../ha/fencing-method.ts';
import { parseCidr } from '../network/ipam.ts';

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
  /**
   * Where cloud users' private networks get their ranges (FLEETYARD_TENANT_POOL, a CIDR, and
   * FLEETYARD_TENANT_PREFIX, each tenant's prefix length). Keep it apart from every other network.
   */
  tenantPool: TenantPool;
  /** How often every physical server's BMC is asked for its power state. */
  powerPollMs: number;
  /** How long a heartbeat keeps a host's lease (FLEETYARD_HOST_LEASE_SECONDS, default 10). */
  leaseMs: number;
  /** How failed hosts are fenced (FLEETYARD_FENCING: auto, fence_ipmilan, ipmitool, none). */
  fencing: FencingMethod;
  /** A bearer token for Prometheus to read /metrics with (besides admins' API tokens). */
  metricsToken: string | undefined;
  /** A bearer token for a Puppet server to read its ENC with (besides admins' API tokens). */
  puppetToken: string | undefined;
  /** A separate HOST:PORT serving /metrics without credentials (a management network). */
  metricsListen: string | undefined;
  /** Calls per minute one cloud user may make to each route that creates work or sends mail. */
  userRateLimit: number | undefined;
  /** Where admins may import images and kernels from on this machine (empty: DATA_DIR/import). */
  importDirs: string[];
  maxImageBytes: number | undefined;
  maxKernelFileBytes: number | undefined;
  /** `enforce`: creating an HA appliance that would break N+1 is refused; `warn` (default): only the warning event. */
  haAdmission: HaAdmissionMode;
  /** How the scheduler ranks hosts (FLEETYARD_PLACEMENT_POLICY: spread, pack, energy-aware). */
  placementPolicy: PlacementPolicy;
  /** Green IT: powering idle hosts off and on again (FLEETYARD_POWER_MANAGEMENT=on; off by default). */
  powerManagement: PowerManagementConfig;
}

export interface PowerManagementConfig {
  enabled: boolean;
  /** FLEETYARD_POWER_IDLE_SECONDS (default 1800): how long a host is idle before it is powered off. */
  idleMs: number;
  /** FLEETYARD_POWER_SPARE_HOSTS (default 1): idle hosts kept on per virtualization. */
  spareHosts: number;
  /** FLEETYARD_POWER_LEAD_SECONDS (default 600): a reserved host is awake this long before its reservation, plus its boot time. */
  leadMs: number;
  /** FLEETYARD_POWER_BOOT_SECONDS (default 180): a host's boot time until one is measured. */
  defaultBootMs: number;
  /** FLEETYARD_POWER_BOOT_TIMEOUT_SECONDS (default 600): a woken host without a heartbeat after this long is sent its power-on again. */
  bootTimeoutMs: number;
}

export type HaAdmissionMode = 'enforce' | 'warn';

export const DEFAULTS = {
  dataDir: './.fleetyard',
  listen: '127.0.0.1:8080',
  networkBridge: 'fy0',
  networkCidr: '169.254.64.0/22',
  powerPollSeconds: 60,
  leaseSeconds: 10,
  maxImageBytes: 64 * 1024 ** 3,
  maxKernelFileBytes: 512 * 1024 ** 2,
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
    tenantPool: tenantPool(env.FLEETYARD_TENANT_POOL, env.FLEETYARD_TENANT_PREFIX, env.FLEETYARD_TENANT_FIRST_VNI),
    metricsToken: env.FLEETYARD_METRICS_TOKEN || undefined,
    puppetToken: env.FLEETYARD_PUPPET_TOKEN || undefined,
    metricsListen: env.FLEETYARD_METRICS_LISTEN || undefined,
    userRateLimit: env.FLEETYARD_USER_RATE_LIMIT ? positiveInt(env.FLEETYARD_USER_RATE_LIMIT, 'FLEETYARD_USER_RATE_LIMIT') : undefined,
    powerPollMs: seconds(env.FLEETYARD_POWER_POLL_SECONDS, 'FLEETYARD_POWER_POLL_SECONDS', DEFAULTS.powerPollSeconds) * 1000,
    leaseMs: seconds(env.FLEETYARD_HOST_LEASE_SECONDS, 'FLEETYARD_HOST_LEASE_SECONDS', DEFAULTS.leaseSeconds) * 1000,
    fencing: fencingMethod(env.FLEETYARD_FENCING),
    importDirs: (env.FLEETYARD_IMPORT_DIRS ?? '').split(delimiter).filter(Boolean).map((d) => resolve(d)),
    maxImageBytes: byteCount('FLEETYARD_MAX_IMAGE_BYTES', env.FLEETYARD_MAX_IMAGE_BYTES),
    maxKernelFileBytes: byteCount('FLEETYARD_MAX_KERNEL_BYTES', env.FLEETYARD_MAX_KERNEL_BYTES),
    haAdmission: haAdmissionMode(env.FLEETYARD_HA_ADMISSION),
    placementPolicy: placementPolicy(env.FLEETYARD_PLACEMENT_POLICY),
    powerManagement: powerManagement(env),
  };
}

export function powerManagement(env: NodeJS.ProcessEnv): PowerManagementConfig {
  const on = env.FLEETYARD_POWER_MANAGEMENT ?? '';
  if (!/^(|on|off)$/.test(on)) throw new Error(`FLEETYARD_POWER_MANAGEMENT must be on or off, got "${on}"`);
  const spare = env.FLEETYARD_POWER_SPARE_HOSTS ?? '1';
  if (!/^\d{1,4}$/.test(spare)) throw new Error(`FLEETYARD_POWER_SPARE_HOSTS must be a whole number of hosts, got "${spare}"`);
  return {
    enabled: on === 'on',
    idleMs: seconds(env.FLEETYARD_POWER_IDLE_SECONDS, 'FLEETYARD_POWER_IDLE_SECONDS', 1800) * 1000,
    spareHosts: Number(spare),
    leadMs: seconds(env.FLEETYARD_POWER_LEAD_SECONDS, 'FLEETYARD_POWER_LEAD_SECONDS', 600) * 1000,
    defaultBootMs: seconds(env.FLEETYARD_POWER_BOOT_SECONDS, 'FLEETYARD_POWER_BOOT_SECONDS', 180) * 1000,
    bootTimeoutMs: seconds(env.FLEETYARD_POWER_BOOT_TIMEOUT_SECONDS, 'FLEETYARD_POWER_BOOT_TIMEOUT_SECONDS', 600) * 1000,
  };
}

export function tenantPool(cidr: string | undefined, prefix: string | undefined, firstVni?: string): TenantPool {
  const pool = { cidr: cidr || DEFAULT_TENANT_POOL.cidr, prefixLength: prefix ? Number(prefix) : DEFAULT_TENANT_POOL.prefixLength, firstVni: firstVni ? Number(firstVni) : FIRST_TENANT_VNI };
  if (!Number.isInteger(pool.firstVni) || pool.firstVni < 1 || pool.firstVni > 0xffffff) throw new Error(`FLEETYARD_TENANT_FIRST_VNI must be a VNI from 1 to 16777215, got "${firstVni}"`);
  const outer = parseCidr(pool.cidr).prefixLength;
  if (!Number.isInteger(pool.prefixLength) || pool.prefixLength < outer || pool.prefixLength > 30) {
    throw new Error(`FLEETYARD_TENANT_PREFIX must be a prefix length from ${outer} to 30, got "${prefix}"`);
  }
  return pool;
}

export function placementPolicy(value: string | undefined): PlacementPolicy {
  if (value === undefined || value === '') return 'spread';
  if ((PLACEMENT_POLICIES as readonly string[]).includes(value)) return value as PlacementPolicy;
  throw new Error(`FLEETYARD_PLACEMENT_POLICY must be one of ${PLACEMENT_POLICIES.join(', ')}, got "${value}"`);
}

export function haAdmissionMode(value: string | undefined): HaAdmissionMode {
  if (value === undefined || value === '' || value === 'warn') return 'warn';
  if (value === 'enforce') return 'enforce';
  throw new Error(`FLEETYARD_HA_ADMISSION must be enforce or warn, got "${value}"`);
}

/** A positive whole number of bytes, or undefined when not set. */
export function byteCount(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive number of bytes, got "${value}"`);
  return n;
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

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new Error(`${name} must be a whole number from 1 to 1000000, got "${value}"`);
  return n;
}

function fencingMethod(value: string | undefined): FencingMethod {
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'fence_ipmilan' || value === 'ipmitool' || value === 'none') return value;
  throw new Error(`FLEETYARD_FENCING must be auto, fence_ipmilan, ipmitool or none, got "${value}"`);
}
