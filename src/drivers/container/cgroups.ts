import { readdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The appliance's cgroup v1 directories, one per controller hierarchy, at
 * /sys/fs/cgroup/<controller>/fleetyard/<applianceId> (the OCI config's cgroupsPath). runc
 * removes them on delete; `removeCgroups` sweeps whatever a crash left behind.
 */

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Existing cgroup directories of the appliance, across all mounted hierarchies. */
export async function cgroupDirs(applianceId: string): Promise<string[]> {
  let controllers: string[];
  try {
    controllers = await readdir(CGROUP_ROOT);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const c of controllers) {
    const dir = join(CGROUP_ROOT, c, 'fleetyard', applianceId);
    try {
      await readdir(dir);
      found.push(dir);
    } catch {
      // not in this hierarchy
    }
  }
  return found;
}

/** Pids still in any of the appliance's cgroups. */
export async function cgroupPids(applianceId: string): Promise<number[]> {
  const pids = new Set<number>();
  for (const dir of await cgroupDirs(applianceId)) {
    try {
      for (const l of (await readFile(join(dir, 'cgroup.procs'), 'utf8')).split('\n')) if (l) pids.add(Number(l));
    } catch {
      // removed meanwhile
    }
  }
  return [...pids];
}

/** rmdir of every leftover cgroup dir; a cgroup still holding processes makes this throw. */
export async function removeCgroups(applianceId: string): Promise<void> {
  for (const dir of await cgroupDirs(applianceId)) {
    try {
      await rmdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
