import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupDirs, cgroupPids } from '../../src/drivers/container/cgroups.ts';
import { mountPoints } from '../../src/drivers/container/overlay.ts';
import { containerPaths } from '../../src/drivers/container/paths.ts';
import { MAX_NICS, qemuName, qemuPaths, tapName } from '../../src/drivers/qemu/paths.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { linkExists, removeBridge } from '../../src/network/bridge.ts';
import { hostVethName, MAX_INTERFACES, netnsName } from '../../src/network/netns.ts';

/**
 * Leak checks for tests of the container driver: everything the host could still hold for the
 * given appliances, found by looking at the host itself rather than asking the driver. An empty
 * result means de-provisioning left nothing behind.
 *
 * `stateDir` is the container driver's state dir; clones are looked for under
 * `storageRoot/clones` (defaults to the state dir, as in the tests).
 */
export async function findLeaks(
  applianceIds: string[],
  stateDir: string,
  opts: { storageRoot?: string } = {},
): Promise<string[]> {
  const paths = containerPaths(stateDir);
  const storageRoot = opts.storageRoot ?? stateDir;
  const mounts = await mountPoints();
  const netns = (await exec('ip', ['netns', 'list'])).stdout;
  const links = (await exec('ip', ['-o', 'link'])).stdout;
  const ruleset = (await execAllowFail('nft', ['list', 'table', 'bridge', 'fleetyard'])).stdout;
  const leaks: string[] = [];
  for (const id of applianceIds) {
    const bundle = paths.bundle(id);
    for (const m of mounts) if (m === bundle || m.startsWith(bundle + '/')) leaks.push(`${id}: mount ${m}`);
    if (new RegExp(`^${netnsName(id)}\\b`, 'm').test(netns)) leaks.push(`${id}: netns ${netnsName(id)}`);
    if (links.includes(` ${hostVethName(id)}@`) || links.includes(` ${hostVethName(id)}:`)) {
      leaks.push(`${id}: veth ${hostVethName(id)}`);
    }
    for (const l of await portFilterLeaks(hostVethName(id))) leaks.push(`${id}: ${l}`);
    // Its further networks' ports (eth1 …), whether or not it had any.
    for (let i = 1; i < MAX_INTERFACES; i++) {
      const v = hostVethName(id, i);
      if (links.includes(` ${v}@`) || links.includes(` ${v}:`)) leaks.push(`${id}: veth ${v}`);
      if (ruleset.includes(`port-${v} `) || ruleset.includes(`"${v}"`)) leaks.push(`${id}: nft filter of ${v}`);
    }
    for (const dir of await cgroupDirs(id)) leaks.push(`${id}: cgroup ${dir}`);
    for (const pid of await cgroupPids(id)) leaks.push(`${id}: process ${pid}`);
    if (existsSync(join(paths.runcRoot, id))) leaks.push(`${id}: runc state ${join(paths.runcRoot, id)}`);
    if (existsSync(bundle)) leaks.push(`${id}: bundle ${bundle}`);
    const clone = join(storageRoot, 'clones', id);
    if (existsSync(clone)) leaks.push(`${id}: clone ${clone}`);
  }
  return leaks;
}

/**
 * What the host's nftables still hold for a bridge port (src/network/port-filter.ts): its chain
 * in the `bridge fleetyard` table, or its entry in the table's port map. Read from `nft` itself.
 */
export async function portFilterLeaks(port: string): Promise<string[]> {
  const r = await execAllowFail('nft', ['list', 'table', 'bridge', 'fleetyard']);
  if (r.exitCode !== 0) {
    if (/No such file or directory/.test(r.stderr)) return [];
    throw new Error(`nft list table bridge fleetyard failed: ${r.stderr}`);
  }
  const leaks: string[] = [];
  if (new RegExp(`^\\s*chain port-${port} \\{`, 'm').test(r.stdout)) leaks.push(`nft chain port-${port}`);
  if (r.stdout.includes(`"${port}"`)) leaks.push(`nft port map entry ${port}`);
  return leaks;
}

/** Live QEMU processes of the appliance, found by name as an operator would (`pgrep -f`). */
export async function qemuPids(applianceId: string): Promise<number[]> {
  const r = await execAllowFail('pgrep', ['-f', '--', `-name ${qemuName(applianceId)},`]);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/**
 * The processes holding the listening unix socket bound at `path`, found through the kernel's
 * tables (/proc/net/unix for the socket's inode, /proc/PID/fd for its holders), not through any
 * record the process keeps.
 */
export async function unixSocketListeners(path: string): Promise<number[]> {
  const ACCEPTING = 0x10000; // __SO_ACCEPTCON: the socket listens
  const inodes = new Set<string>();
  for (const line of (await readFile('/proc/net/unix', 'utf8')).split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f.slice(7).join(' ') === path && (parseInt(f[3] as string, 16) & ACCEPTING) !== 0) inodes.add(f[6] as string);
  }
  if (inodes.size === 0) return [];
  const holders: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1] as string)) {
        holders.push(Number(entry));
        break;
      }
    }
  }
  return holders;
}

/**
 * Leak checks for VMs of the qemu driver whose state dir is `qemuStateDir`: QEMU processes, taps
 * and VM dirs of the given appliances, and with `storageRoot` their clone dirs (disk clones).
 */
export async function findVmLeaks(
  applianceIds: string[],
  qemuStateDir: string,
  opts: { storageRoot?: string } = {},
): Promise<string[]> {
  const paths = qemuPaths(qemuStateDir);
  const leaks: string[] = [];
  for (const id of applianceIds) {
    for (const pid of await qemuPids(id)) leaks.push(`${id}: qemu process ${pid}`);
    for (let i = 0; i < MAX_NICS; i++) {
      if (linkExists(tapName(id, i))) leaks.push(`${id}: tap ${tapName(id, i)}`);
      for (const l of await portFilterLeaks(tapName(id, i))) leaks.push(`${id}: ${l}`);
    }
    if (existsSync(paths.vmDir(id))) leaks.push(`${id}: VM dir ${paths.vmDir(id)}`);
    for (const socket of [paths.qmpSocket(id), paths.eventsSocket(id)]) if (existsSync(socket)) leaks.push(`${id}: socket ${socket}`);
    if (opts.storageRoot !== undefined) {
      const clone = join(opts.storageRoot, 'clones', id);
      if (existsSync(clone)) leaks.push(`${id}: clone ${clone}`);
    }
  }
  return leaks;
}

export interface TestNetwork {
  bridge: string;
  cidr: string;
  gateway: string;
  prefixLength: number;
  /** The n-th appliance address (n ≥ 1 → .(n+1)); the gateway is .1. */
  address(n: number): string;
  /** Deletes the bridge; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * A bridge name and a /24 inside 169.254.0.0/16 that nothing on the host uses yet (169.254.169.x
 * is skipped: cloud metadata lives there). The bridge itself is made by the driver under test.
 */
export async function makeTestNetwork(): Promise<TestNetwork> {
  const used = (await exec('ip', ['-o', '-4', 'addr'])).stdout;
  const routes = await readFile('/proc/net/route', 'utf8');
  for (let attempt = 0; attempt < 100; attempt++) {
    const third = 1 + (randomBytes(1)[0] as number) % 254;
    if (third === 169) continue;
    const prefix = `169.254.${third}.`;
    const hexNet = Buffer.from([0, third, 254, 169]).toString('hex').toUpperCase();
    if (used.includes(` ${prefix}`) || routes.includes(hexNet)) continue;
    const bridge = `fyt${randomBytes(4).toString('hex')}`;
    return {
      bridge,
      cidr: `${prefix}0/24`,
      gateway: `${prefix}1`,
      prefixLength: 24,
      address: (n) => `${prefix}${n + 1}`,
      cleanup: () => removeBridge(bridge),
    };
  }
  throw new Error('no free /24 in 169.254.0.0/16');
}
