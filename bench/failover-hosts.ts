import { existsSync } from 'node:fs';
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Virtualization } from '../src/domain/meta.ts';
import { ContainerDriver } from '../src/drivers/container/container-driver.ts';
import { mountPoints, unmountOverlay } from '../src/drivers/container/overlay.ts';
import { containerPaths } from '../src/drivers/container/paths.ts';
import type { Driver } from '../src/drivers/driver.ts';
import { SimDriver } from '../src/drivers/sim/sim-driver.ts';
import { execAllowFail } from '../src/host/exec.ts';
import { linkExists, removeBridge } from '../src/network/bridge.ts';
import { PORT_FILTER_TABLE } from '../src/network/port-filter.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { findLeaks } from '../test/support/host-leaks.ts';
import { pickNetwork, type BenchNetwork } from './network.ts';
import { teardownSteps } from './teardown-steps.ts';

export type FailoverDriver = 'sim' | 'container';

/**
 * What differs between the failover variants: the driver of the hosts, what cutting a host's
 * power ends, and what a dead host leaves on this machine for teardown. Both variants' hosts are
 * agents of the bench process sharing one storage directory, each with a host dir of its own.
 */
export interface FailoverHosts {
  readonly driver: FailoverDriver;
  /** How the table names these hosts. */
  readonly description: string;
  readonly virtualization: Virtualization;
  /** The network the control plane seeds as `default` (only the container variant makes its bridge). */
  readonly network: BenchNetwork;
  driversFor(hostDir: string): Driver[];
  /** The shell lines the host's BMC runs when its power is cut; undefined when it ends nothing. */
  powerOffHook(hostDir: string): string | undefined;
  /** When the power cut ended the host's appliances (epoch ms, the hook's own clock), NaN if never. */
  endedAt(hostDir: string): Promise<number>;
  /** Appliances the host still runs: must be none once its BMC has cut the power. */
  stillRunning(hostDir: string): Promise<string[]>;
  /** After its appliances were deleted elsewhere: what a dead host left goes (as its rejoin would do). */
  sweep(hostDir: string): Promise<void>;
  /** Everything of every host, whatever happened; returns what went wrong and what is still there. */
  close(hostDirs: string[], applianceIds: string[], dataDir: string, storageRoot: string): Promise<{ errors: string[]; residue: string[] }>;
}

/** Simulated hosts: the sim driver keeps its appliances as records, so a power cut has nothing to end. */
export function simHosts(): FailoverHosts {
  return {
    driver: 'sim',
    description: 'sim hosts',
    virtualization: 'sim',
    // Never made: nothing of the sim driver touches the network.
    network: { bridge: `fyb${randomBytes(3).toString('hex')}`, cidr: '169.254.231.0/24' },
    driversFor: (dir) => [new SimDriver({ stateDir: join(dir, 'sim') })],
    powerOffHook: () => undefined,
    endedAt: () => Promise.resolve(Number.NaN),
    stillRunning: () => Promise.resolve([]),
    sweep: () => Promise.resolve(),
    close: () => Promise.resolve({ errors: [], residue: [] }),
  };
}

/**
 * Hosts with the real container driver (runc, overlayfs over the shared storage's clones, a
 * network namespace each, on a bridge and /24 of the run's own). Cutting a host's power ends all
 * its containers at once: its BMC's power-off hook force-deletes every container in the host's
 * runc root (in parallel, as a power cut would not wait for one after the other) and unmounts its
 * overlays, then writes when it was done. Only then does the BMC read back `off`, so nothing can
 * start elsewhere while a copy still runs.
 */
export async function containerHosts(): Promise<FailoverHosts> {
  const network = await pickNetwork();
  // What every container of the machine hangs off, removed at the end only if this run made it.
  const sharedBefore = await sharedContainerObjects();
  const paths = (dir: string) => containerPaths(join(dir, 'container'));
  const endedFile = (dir: string) => join(dir, 'power-cut-ended');
  const stillRunning = async (dir: string) => {
    const r = await execAllowFail('runc', ['--root', paths(dir).runcRoot, 'list', '-q']);
    return r.stdout.split('\n').filter(Boolean);
  };
  const sweep = async (dir: string) => {
    const d = new ContainerDriver({ stateDir: join(dir, 'container') });
    for (const id of await d.list()) await d.destroy(id);
  };
  return {
    driver: 'container',
    description: 'container hosts (runc)',
    virtualization: 'container',
    network,
    driversFor: (dir) => [new ContainerDriver({ stateDir: join(dir, 'container') })],
    powerOffHook(dir) {
      const p = paths(dir);
      return [
        `root='${p.runcRoot}'`,
        'for c in $(runc --root "$root" list -q); do runc --root "$root" delete --force "$c" & done',
        'wait',
        `grep -o ' ${p.bundlesDir}/[^ ]*' /proc/mounts | sort -r | while read -r m; do umount "$m" || umount -l "$m"; done`,
        `date +%s%3N > '${endedFile(dir)}'`,
      ].join('\n');
    },
    async endedAt(dir) {
      const text = await readFile(endedFile(dir), 'utf8').catch(() => '');
      return text.trim() === '' ? Number.NaN : Number(text.trim());
    },
    stillRunning,
    sweep,
    async close(hostDirs, applianceIds, dataDir, storageRoot) {
      const { step, errors } = teardownSteps();
      for (const dir of hostDirs) await step(`sweep containers of ${dir}`, () => sweep(dir));
      await step('sweep clones', async () => {
        const storage = new LocalStorage(storageRoot);
        for (const id of await storage.listClones()) await storage.removeClone(id);
      });
      await step('sweep mounts', async () => {
        for (const m of (await mountPoints()).reverse()) if (m.startsWith(dataDir + '/')) await unmountOverlay(m);
      });
      await step('remove bridge', () => removeBridge(network.bridge));
      await step('remove the shared cgroup parents and port filter table this run made', () => removeSharedObjects(sharedBefore));
      const residue = new Set<string>();
      await step('look for residue', async () => {
        for (const dir of hostDirs) {
          for (const l of await findLeaks(applianceIds, join(dir, 'container'), { storageRoot })) residue.add(l);
        }
        for (const m of await mountPoints()) if (m.startsWith(dataDir + '/')) residue.add(`mount ${m}`);
        if (linkExists(network.bridge)) residue.add(`bridge ${network.bridge}`);
        for (const dir of hostDirs) if (existsSync(dir) && (await stillRunning(dir)).length > 0) residue.add(`containers in ${dir}`);
      });
      return { errors, residue: [...residue] };
    },
  };
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** The container driver's machine-wide parents: `fleetyard` cgroup dirs and the port filter table. */
async function sharedContainerObjects(): Promise<{ cgroupParents: string[]; portFilterTable: boolean }> {
  const controllers = await readdir(CGROUP_ROOT).catch(() => [] as string[]);
  const cgroupParents = controllers.map((c) => join(CGROUP_ROOT, c, 'fleetyard')).filter((d) => existsSync(d));
  const table = await execAllowFail('nft', ['list', 'table', 'bridge', PORT_FILTER_TABLE]);
  return { cgroupParents, portFilterTable: table.exitCode === 0 };
}

/**
 * Removes the parents that were not there before the run and are empty now: a cgroup dir with a
 * child left cannot be removed (rmdir refuses), and the table goes only while it holds no port's
 * chain and its map no port, so another user of the machine that made one since keeps it.
 */
async function removeSharedObjects(before: { cgroupParents: string[]; portFilterTable: boolean }): Promise<void> {
  const now = await sharedContainerObjects();
  for (const dir of now.cgroupParents) {
    if (before.cgroupParents.includes(dir)) continue;
    await rmdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT' && e.code !== 'EBUSY' && e.code !== 'ENOTEMPTY') throw e;
    });
  }
  if (before.portFilterTable || !now.portFilterTable) return;
  const listed = await execAllowFail('nft', ['list', 'table', 'bridge', PORT_FILTER_TABLE]);
  const unused = !/chain port-/.test(listed.stdout) && !/elements\s*=/.test(listed.stdout);
  if (listed.exitCode === 0 && unused) await execAllowFail('nft', ['delete', 'table', 'bridge', PORT_FILTER_TABLE]);
}
