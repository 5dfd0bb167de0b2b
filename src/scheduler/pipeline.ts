import type { Virtualization } from '../domain/meta.ts';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';
import type { Capacity, Resource } from '../domain/resource.ts';
import { hostIsAsleep } from '../domain/host-power.ts';

/**
 * The one placement pipeline: every host is put through the filters in order, the first filter
 * that rejects it says why, and the hosts that pass them all are ranked by the policy's score.
 * Immediate placement (placement.ts) and reservations (reservations.ts) build their filters
 * from the same parts and differ only in how free capacity is counted (now and for ever, or over
 * a window). What the pipeline decided is its explanation: a verdict per host.
 *
 * Policies:
 * - `spread`: the host with the most memory left after placing (the default; load evens out);
 * - `pack`: the host with the least memory left that still fits (fewest hosts in use, so idle
 *   ones can be powered off);
 * - `energy-aware`: hosts already powered on first, then as `pack`.
 *
 * Hosts the power manager put to sleep (src/power/) are not live, so immediate placement never
 * takes one; reservations may, and rank them after every awake host under any policy.
 */
export { PLACEMENT_POLICIES, type PlacementPolicy } from '../domain/placement-constraints.ts';

/** The filters in the order they run; a host's verdict names the first that rejected it. */
export const FILTERS = ['host', 'live', 'avoided', 'labels', 'anti-affinity', 'virtualization', 'physical-server', 'capacity'] as const;
export type FilterName = (typeof FILTERS)[number];

/** What the pipeline decided about one host. */
export interface HostVerdict {
  hostId: string;
  host: string;
  /** The filter that rejected it; null when it passed them all (then `score` is set). */
  rejectedBy: FilterName | null;
  /** Why that filter rejected it, about this host. */
  reason: string | null;
  /** Its score under the policy (higher is better); null when rejected. */
  score: number | null;
  /** The virtualization it would run the appliance with; null when none fits. */
  virtualization: Virtualization | null;
}

/** Every host's verdict: the candidates best first (the chosen one first), then the rejected. */
export interface Explanation {
  policy: PlacementPolicy;
  hosts: HostVerdict[];
}

/** What a filter sees of a host once the earlier filters let it through. */
export interface Looked {
  host: Resource;
  /** Set by the virtualization filter for the ones after it. */
  virtualization?: Virtualization;
  /** Set by the physical-server filter: the server the appliance would take. */
  machine?: Resource;
  /** Set by the capacity filter: what the host has free for the appliance. */
  free?: Capacity;
}

/** A filter: null lets the host through, a string is why it does not. */
export type Filter = { name: FilterName; check: (h: Looked) => string | null };

/** How the policy scores a candidate: its free capacity before placing and what is asked. */
export interface Scored {
  host: Resource;
  free: Capacity;
  ask: Capacity;
}

export function score(policy: PlacementPolicy, c: Scored): number {
  const left = c.free.memoryMiB - c.ask.memoryMiB;
  // A host asleep (only reservations consider one) comes after every awake one, whatever the policy.
  const asleep = hostIsAsleep(c.host) ? -2e12 : 0;
  if (policy === 'spread') return asleep + left;
  // Less left is better: the negative keeps "higher is better" for every policy.
  if (policy === 'pack') return asleep - left;
  return asleep + (c.host.status.powerState === 'on' ? 1e12 : 0) - left;
}

export interface Evaluated {
  /** The candidates, best first. */
  ranked: Array<Looked & { virtualization: Virtualization; verdict: HostVerdict }>;
  explanation: Explanation;
}

/**
 * Runs every host through `filters`, scores the ones that pass with `scoreOf` and ranks them:
 * `preferHostId` first (the host that holds the appliance's clone), then by score, then by id.
 */
export function evaluate(
  hosts: readonly Resource[],
  filters: readonly Filter[],
  policy: PlacementPolicy,
  scoreOf: (h: Looked & { virtualization: Virtualization }) => number,
  preferHostId: string | null = null,
): Evaluated {
  const rejected: HostVerdict[] = [];
  const passed: Evaluated['ranked'] = [];
  for (const host of hosts) {
    const looked: Looked = { host };
    let verdict: HostVerdict | null = null;
    for (const f of filters) {
      const why = f.check(looked);
      if (why !== null) {
        verdict = { hostId: host.id, host: host.name, rejectedBy: f.name, reason: why, score: null, virtualization: looked.virtualization ?? null };
        break;
      }
    }
    if (verdict) {
      rejected.push(verdict);
      continue;
    }
    const v = looked.virtualization;
    if (v === undefined) throw new Error('the pipeline has no virtualization filter');
    const candidate = { ...looked, virtualization: v };
    passed.push({ ...candidate, verdict: { hostId: host.id, host: host.name, rejectedBy: null, reason: null, score: scoreOf(candidate), virtualization: v } });
  }
  passed.sort((a, b) => {
    const pa = a.host.id === preferHostId ? 1 : 0;
    const pb = b.host.id === preferHostId ? 1 : 0;
    return pb - pa || (b.verdict.score as number) - (a.verdict.score as number) || a.host.id.localeCompare(b.host.id);
  });
  return { ranked: passed, explanation: { policy, hosts: [...passed.map((p) => p.verdict), ...rejected] } };
}

/**
 * The one sentence for a placement that found no host: what the filter furthest along the
 * pipeline said for the pool (`poolReasons`), since that is the last obstacle the best host met.
 */
export function summarise(explanation: Explanation, poolReasons: Readonly<Partial<Record<FilterName, string>>>, none: string): string {
  let furthest = -1;
  for (const h of explanation.hosts) {
    if (h.rejectedBy === null) continue;
    furthest = Math.max(furthest, FILTERS.indexOf(h.rejectedBy));
  }
  if (furthest < 0) return none;
  const name = FILTERS[furthest] as FilterName;
  return poolReasons[name] ?? explanation.hosts.find((h) => h.rejectedBy === name)?.reason ?? none;
}

export const fitsIn = (free: Capacity, ask: Capacity): boolean => free.cpu >= ask.cpu && free.memoryMiB >= ask.memoryMiB && free.diskMiB >= ask.diskMiB;

export const describeCapacity = (c: Capacity): string => `${c.cpu} cpu, ${c.memoryMiB} MiB memory and ${c.diskMiB} MiB disk`;
