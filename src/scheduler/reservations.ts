import { hostIsLive, isHost } from '../domain/host.ts';
import { hostIsAsleep } from '../domain/host-power.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Capacity, Resource } from '../domain/resource.ts';
import { describeCapacity, evaluate, fitsIn, score, summarise, type Explanation, type Filter, type PlacementPolicy } from './pipeline.ts';

/**
 * Capacity over time, as pure functions. A host's load at an instant is what its reservations
 * overlapping that instant promise, plus what unreserved appliances use now (they have no end,
 * so they are counted for ever). A reservation fits on a host when the peak load over its whole
 * window, plus itself, stays within the host's capacity.
 */
export interface CapacitySnapshot {
  now: Date;
  hosts: Resource[];
  reservations: Reservation[];
  /** Per host: what appliances without a reservation use now. */
  unreserved: Map<string, Capacity>;
  cpuAllocationRatio: number;
}

export interface UnitAsk {
  cpu: number;
  memoryMiB: number;
  diskMiB: number;
  virtualization: Virtualization;
}

/** A plan for every unit, or why not; the explanation is of the last unit considered. */
export type ReservePlan = { fits: true; hostIds: string[]; explanation: Explanation } | { fits: false; reason: string; explanation: Explanation };

const ZERO: Capacity = { cpu: 0, memoryMiB: 0, diskMiB: 0 };

const add = (a: Capacity, b: Capacity): Capacity => ({
  cpu: a.cpu + b.cpu,
  memoryMiB: a.memoryMiB + b.memoryMiB,
  diskMiB: a.diskMiB + b.diskMiB,
});

const overlaps = (r: { startAt: string; endAt: string }, from: number, to: number): boolean =>
  Date.parse(r.startAt) < to && Date.parse(r.endAt) > from;

/** The largest load reservations put on `hostId` at any instant of [from, to). */
export function peakReserved(reservations: Reservation[], hostId: string, from: number, to: number): Capacity {
  const mine = reservations.filter((r) => r.hostId === hostId && overlaps(r, from, to));
  // Load only rises where a reservation starts, so the peak is at `from` or at one of those starts.
  const instants = [from, ...mine.map((r) => Date.parse(r.startAt)).filter((t) => t > from && t < to)];
  let peak = ZERO;
  for (const t of instants) {
    const load = mine
      .filter((r) => Date.parse(r.startAt) <= t && Date.parse(r.endAt) > t)
      .reduce((acc, r) => add(acc, { cpu: r.cpu, memoryMiB: r.memoryMiB, diskMiB: r.diskMiB }), ZERO);
    peak = { cpu: Math.max(peak.cpu, load.cpu), memoryMiB: Math.max(peak.memoryMiB, load.memoryMiB), diskMiB: Math.max(peak.diskMiB, load.diskMiB) };
  }
  return peak;
}

/** What is free on a host for the whole window, after reservations and unreserved use. */
export function freeOver(s: CapacitySnapshot, host: Resource, from: number, to: number): Capacity {
  const peak = peakReserved(s.reservations, host.id, from, to);
  const used = add(peak, s.unreserved.get(host.id) ?? ZERO);
  return {
    cpu: host.spec.capacity.cpu * s.cpuAllocationRatio - used.cpu,
    memoryMiB: host.spec.capacity.memoryMiB - used.memoryMiB,
    diskMiB: host.spec.capacity.diskMiB - used.diskMiB,
  };
}

/**
 * Finds a host for each of `units` asks over [startAt, endAt), all or nothing, through the same
 * pipeline as immediate placement (pipeline.ts): live hosts that offer the virtualization and
 * have the capacity free for the whole window, ranked by the policy (spread unless told), each
 * unit placed counting for the next. A plan that does not fit explains the unit that did not.
 */
export function reserveUnits(s: CapacitySnapshot, ask: UnitAsk, units: number, startAt: Date, endAt: Date, policy: PlacementPolicy = 'spread'): ReservePlan {
  const from = startAt.getTime();
  const to = endAt.getTime();
  const need: Capacity = { cpu: ask.cpu, memoryMiB: ask.memoryMiB, diskMiB: ask.diskMiB };
  const tentative: Reservation[] = [];
  const hostIds: string[] = [];
  let explanation: Explanation = { policy, hosts: [] };
  for (let unit = 0; unit < units; unit++) {
    const snapshot = { ...s, reservations: [...s.reservations, ...tentative] };
    const filters: Filter[] = [
      { name: 'host', check: ({ host }) => (isHost(host) ? null : 'offers no virtualization') },
      // A host the power manager put to sleep counts: it is woken ahead of the window (src/power/).
      { name: 'live', check: ({ host }) => (hostIsLive(host, s.now) || asleepInService(host) ? null : 'it is not live') },
      {
        name: 'virtualization',
        check: (h) => {
          if (!h.host.spec.virtualizations.includes(ask.virtualization)) return `offers ${h.host.spec.virtualizations.join(', ') || 'nothing'}, not ${ask.virtualization}`;
          h.virtualization = ask.virtualization;
          return null;
        },
      },
      {
        name: 'capacity',
        check: (h) => {
          h.free = freeOver(snapshot, h.host, from, to);
          return fitsIn(h.free, need) ? null : `has ${describeCapacity(h.free)} free for the whole window, needs ${describeCapacity(need)}`;
        },
      },
    ];
    const evaluated = evaluate(s.hosts, filters, policy, (h) => score(policy, { host: h.host, free: h.free as Capacity, ask: need }));
    explanation = evaluated.explanation;
    const best = evaluated.ranked[0];
    if (!best) {
      const reason = summarise(explanation, {
        host: `no live host offers ${ask.virtualization}`,
        live: `no live host offers ${ask.virtualization}`,
        virtualization: `no live host offers ${ask.virtualization}`,
        capacity: `capacity for ${units} × (${ask.cpu} cpu, ${ask.memoryMiB} MiB) is not free for the whole window (unit ${unit + 1} does not fit)`,
      }, `no live host offers ${ask.virtualization}`);
      return { fits: false, reason, explanation };
    }
    hostIds.push(best.host.id);
    tentative.push({
      id: `tentative-${unit}`,
      requestId: 'tentative',
      unit,
      hostId: best.host.id,
      cpu: ask.cpu,
      memoryMiB: ask.memoryMiB,
      diskMiB: ask.diskMiB,
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
    });
  }
  return { fits: true, hostIds, explanation };
}

/** Asleep by the power manager's plan, not failed: its lease was never taken from it. */
const asleepInService = (h: Resource): boolean => hostIsAsleep(h) && (h.status.lease?.state ?? 'live') === 'live';
