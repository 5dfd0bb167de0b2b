import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What an appliance's cgroup says it has used. cgroup v2 first (`cpu.stat` usage_usec,
 * `memory.current`, `memory.max`), at /sys/fs/cgroup/fleetyard/<id> on a unified host or under
 * /sys/fs/cgroup/unified on a hybrid one; each figure v2 does not have comes from the v1
 * hierarchies the driver's limits live in (cpuacct.usage, memory.usage_in_bytes,
 * memory.limit_in_bytes), so a hybrid host, where the memory controller is v1's, still answers.
 */

const CGROUP_ROOT = '/sys/fs/cgroup';
/** v1 writes "no limit" as the largest page-aligned 63-bit number; anything this big is none. */
const UNLIMITED_V1 = 2 ** 62;

export interface CgroupUsage {
  cpuSeconds: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
}

/** `usage_usec` of a cgroup v2 cpu.stat, in seconds. */
export function parseCpuStat(text: string): number | null {
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) / 1e6 : null;
}

/** A v2 memory.max or v1 memory.limit_in_bytes: null for "max" or v1's "unlimited". */
export function parseMemoryLimit(text: string): number | null {
  const t = text.trim();
  if (t === 'max') return null;
  const n = Number(t);
  return Number.isFinite(n) && n < UNLIMITED_V1 ? n : null;
}

function parseNumber(text: string): number | null {
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

/** The first of `paths` that can be read, parsed; null when none. */
async function first(paths: string[], parse: (text: string) => number | null): Promise<{ found: boolean; value: number | null }> {
  for (const p of paths) {
    try {
      return { found: true, value: parse(await readFile(p, 'utf8')) };
    } catch {
      // not in this hierarchy
    }
  }
  return { found: false, value: null };
}

/** The appliance's usage, or null when it has no cgroup at all (it does not run). */
export async function cgroupUsage(applianceId: string, root = CGROUP_ROOT): Promise<CgroupUsage | null> {
  const v2 = [join(root, 'fleetyard', applianceId), join(root, 'unified', 'fleetyard', applianceId)];
  const v1 = (controller: string, file: string) => join(root, controller, 'fleetyard', applianceId, file);
  const [cpu, memory, limit] = await Promise.all([
    first([...v2.map((d) => join(d, 'cpu.stat')), v1('cpuacct', 'cpuacct.usage'), v1('cpu,cpuacct', 'cpuacct.usage')], (t) =>
      t.includes('usage_usec') ? parseCpuStat(t) : (parseNumber(t) ?? 0) / 1e9,
    ),
    first([...v2.map((d) => join(d, 'memory.current')), v1('memory', 'memory.usage_in_bytes')], parseNumber),
    first([...v2.map((d) => join(d, 'memory.max')), v1('memory', 'memory.limit_in_bytes')], parseMemoryLimit),
  ]);
  if (!cpu.found && !memory.found) return null;
  return { cpuSeconds: cpu.value, memoryBytes: memory.value, memoryLimitBytes: limit.value };
}
