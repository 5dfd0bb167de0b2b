import { release } from 'node:os';
import type { RuntimeSpec } from '../driver.ts';
import { defaultSeccompProfile, resolveSeccomp } from './seccomp.ts';

/**
 * Builds the OCI runtime config (config.json) runc reads. It mirrors what `runc spec` gives, with
 * the parts Fleetyard decides filled in: the first process, the hostname, the network namespace
 * made beforehand (joined by path so the driver owns its lifetime, not runc), and cgroup v1 limits
 * from the appliance's requirements under `/fleetyard/<applianceId>`, so a leak check knows
 * exactly which cgroup directories belong to which appliance.
 *
 * Least privilege: the capability set below, `noNewPrivileges` (no setuid binary or file
 * capability raises a process above it), and the default seccomp profile of container runtimes
 * resolved for that set (seccomp.ts). No user namespace: see user-namespaces.ts for why not here.
 */

/**
 * The capabilities of an appliance's processes: Docker's default set (moby's
 * oci/caps/defaults.go, a superset of what `runc spec` grants) less what no appliance needs and
 * a hostile one could use against its neighbours or the host:
 *
 *   dropped  CAP_NET_RAW   raw and packet sockets: forging frames with any MAC or address on the
 *                          shared bridge (ARP spoofing) and sniffing what it floods
 *   dropped  CAP_MKNOD     device nodes: an appliance needs none beyond those runc makes, and the
 *                          devices cgroup refuses the rest
 *
 * What stays, and who needs it: CHOWN, DAC_OVERRIDE, FOWNER (the init script and package managers
 * handing files to users: chown, then chmod of a file root no longer owns), FSETID (keeping the
 * set-id bits a package installs), SETUID, SETGID (an SSH server switching to the user who logs
 * in), NET_BIND_SERVICE (ports 22 and 80), KILL (ending a logged-in user's processes),
 * SYS_CHROOT (OpenSSH's privilege separation), AUDIT_WRITE (OpenSSH refuses a login as root when
 * its audit record is refused), SETPCAP, SETFCAP (packages that carry file capabilities; with
 * no_new_privileges and this bounding set they never grant more than it). Never CAP_NET_ADMIN or
 * CAP_SYS_ADMIN: an appliance cannot change its MAC, addresses or routes, mount, or make
 * namespaces.
 */
export const CAPABILITIES: readonly string[] = [
  'CAP_AUDIT_WRITE',
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SETUID',
  'CAP_SYS_CHROOT',
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
      // Inheritable and ambient stay empty: a program exec'd under another uid keeps none of these.
      capabilities: {
        bounding: [...CAPABILITIES],
        effective: [...CAPABILITIES],
        permitted: [...CAPABILITIES],
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
      seccomp: resolveSeccomp(defaultSeccompProfile(), { bounding: CAPABILITIES, arch: process.arch, kernel: release() }),
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  };
}
