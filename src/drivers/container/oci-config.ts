import type { RuntimeSpec } from '../driver.ts';

/**
 * Builds the OCI runtime config (config.json) runc reads. It mirrors what `runc spec` gives, with
 * the parts Fleetyard decides filled in: the first process, the hostname, the network namespace
 * made beforehand (joined by path so the driver owns its lifetime, not runc), and cgroup v1 limits
 * from the appliance's requirements under `/fleetyard/<applianceId>`, so a leak check knows
 * exactly which cgroup directories belong to which appliance.
 */

/** The capability set `runc spec` grants plus what a small server needs to run as root. */
const CAPABILITIES = [
  'CAP_AUDIT_WRITE',
  'CAP_KILL',
  'CAP_NET_BIND_SERVICE',
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_NET_RAW',
  'CAP_SYS_CHROOT',
  'CAP_MKNOD',
  'CAP_SETFCAP',
];

const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/sys/firmware',
  '/proc/scsi',
];

const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const CPU_PERIOD_US = 100_000;

export interface OciConfigInput {
  spec: RuntimeSpec;
  /** Absolute path of the overlay mount point. */
  rootfsPath: string;
  /** Path of the network namespace to join (/var/run/netns/NAME). */
  netnsPath: string;
}

export function cgroupsPathOf(applianceId: string): string {
  return `/fleetyard/${applianceId}`;
}

export function buildOciConfig({ spec, rootfsPath, netnsPath }: OciConfigInput): Record<string, unknown> {
  const env = [DEFAULT_PATH, `HOSTNAME=${spec.hostname}`];
  for (const [k, v] of Object.entries(spec.env)) env.push(`${k}=${v}`);
  const { cpu, memoryMiB, pids } = spec.requirements;
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: spec.command,
      env,
      cwd: '/',
      capabilities: {
        bounding: CAPABILITIES,
        effective: CAPABILITIES,
        permitted: CAPABILITIES,
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: rootfsPath, readonly: false },
    hostname: spec.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
      },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      cgroupsPath: cgroupsPathOf(spec.applianceId),
      resources: {
        devices: [{ allow: false, access: 'rwm' }],
        memory: { limit: memoryMiB * 1024 * 1024 },
        cpu: { shares: 1024 * cpu, quota: cpu * CPU_PERIOD_US, period: CPU_PERIOD_US },
        pids: { limit: pids },
      },
      namespaces: [
        { type: 'pid' },
        { type: 'network', path: netnsPath },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
      ],
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  };
}
