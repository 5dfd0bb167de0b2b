import type { Requirements } from '../domain/appliance.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import { formatLabels, hasLabels } from '../domain/placement-constraints.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Capacity, Resource } from '../domain/resource.ts';
import { peakReserved } from './reservations.ts';

/**
 * Placement as a pure function: a read-only snapshot in, a plan out. It touches no store and no
 * clock of its own, so it is tested with plain data; the planner that calls it re-checks the plan
 * inside the committing transaction (see reconcile/placement-planner.ts).
 *
 * First version: filter the live hosts that offer the virtualization, carry the labels asked for,
 * run no member of the appliance's anti-affinity group and have room, then rank by free memory
 * (spread), preferring the host that already holds the appliance's clone.
 */
export interface PlacementSnapshot {
  now: Date;
  hosts: Resource[];
  /** Virtual resources (slots) already placed, each with its hostId and capacity in use. */
  slots: Resource[];
  /** CPUs a host offers per physical core (containers share cores; 16 is OpenStack's default). */
  cpuAllocationRatio: number;
  /** Capacity promised to cloud requests; an appliance without a reservation must leave it free. */
  reservations: Reservation[];
}

export interface PlacementRequest {
  requirements: Requirements;
  preferHostId: string | null;
  /** The appliance's own reservation: it goes to that host, its capacity already counted. */
  reservation: { id: string; hostId: string } | null;
  /** Hosts not to use (an HA restart elsewhere avoids the host it failed on). */
  avoidHostIds?: readonly string[];
  /** Labels the host must carry, each with this value. */
  hostLabels?: Readonly<Record<string, string>>;
  /** The appliance's anti-affinity group and the hosts a member of it already runs on. */
  antiAffinity?: { group: string; hostIds: readonly string[] };
}

/** Label on a slot whose capacity a reservation already counts. */
export const RESERVATION_LABEL = 'fleetyard.io/reservation';

export type Plan =
  | { fits: true; hostId: string; virtualization: Virtualization; /** physical: the server it boots on */ machineId?: string }
  | { fits: false; reason: string };

/** Preference when an appliance accepts any virtualization: the cheapest to start first. */
const PREFERENCE: Virtualization[] = ['container', 'qemu', 'physical', 'sim'];

export function freeCapacity(host: Resource, slots: Resource[], cpuAllocationRatio: number): Capacity {
  const used = slots
    // Physical servers hang off the host that boots them but use none of its capacity.
    .filter((s) => s.spec.hostId === host.id && s.spec.type !== 'physical' && s.spec.labels[RESERVATION_LABEL] === undefined)
    .reduce(
      (acc, s) => ({
        cpu: acc.cpu + s.spec.capacity.cpu,
        memoryMiB: acc.memoryMiB + s.spec.capacity.memoryMiB,
        diskMiB: acc.diskMiB + s.spec.capacity.diskMiB,
      }),
      { cpu: 0, memoryMiB: 0, diskMiB: 0 },
    );
  return {
    cpu: host.spec.capacity.cpu * cpuAllocationRatio - used.cpu,
    memoryMiB: host.spec.capacity.memoryMiB - used.memoryMiB,
    diskMiB: host.spec.capacity.diskMiB - used.diskMiB,
  };
}

function chooseVirtualization(host: Resource, wanted: Requirements['virtualization']): Virtualization | undefined {
  if (wanted !== 'any') return host.spec.virtualizations.includes(wanted) ? wanted : undefined;
  return PREFERENCE.find((v) => v !== 'sim' && host.spec.virtualizations.includes(v));
}

export function place(snapshot: PlacementSnapshot, request: PlacementRequest): Plan {
  const req = request.requirements;
  if (request.reservation && reservationHolds(snapshot, request, request.reservation.hostId)) return placeReserved(snapshot, request, request.reservation.hostId);
  const candidates: Array<{ host: Resource; v: Virtualization; free: Capacity }> = [];
  let reason = 'no live host';
  for (const host of snapshot.hosts) {
    if (!isHost(host) || !hostIsLive(host, snapshot.now)) continue;
    if (request.avoidHostIds?.includes(host.id)) {
      reason = 'no live host other than the one it is to avoid';
      continue;
    }
    if (request.hostLabels && !hasLabels(host.spec.labels, request.hostLabels)) {
      reason = `no live host has the labels ${formatLabels(request.hostLabels)}`;
      continue;
    }
    if (request.antiAffinity?.hostIds.includes(host.id)) {
      reason = `every other live host already runs an appliance of its anti-affinity group ${request.antiAffinity.group}`;
      continue;
    }
    const v = chooseVirtualization(host, req.virtualization);
    if (!v) {
      reason = `no live host offers ${req.virtualization}`;
      continue;
    }
    if (v === 'physical') {
      const machine = idleMachine(snapshot, host.id, req);
      if (machine) return { fits: true, hostId: host.id, virtualization: v, machineId: machine.id };
      reason = `no idle physical server with ${req.cpu} cpu and ${req.memoryMiB} MiB is attached to a live boot host`;
      continue;
    }
    const free = minus(
      freeCapacity(host, snapshot.slots, snapshot.cpuAllocationRatio),
      // An unreserved appliance has no end, so it must leave every future reservation its room.
      peakReserved(snapshot.reservations, host.id, snapshot.now.getTime(), Number.MAX_SAFE_INTEGER),
    );
    if (free.cpu < req.cpu || free.memoryMiB < req.memoryMiB || free.diskMiB < req.diskMiB) {
      reason = `no host has ${req.cpu} cpu, ${req.memoryMiB} MiB memory and ${req.diskMiB} MiB disk free`;
      continue;
    }
    candidates.push({ host, v, free });
  }
  if (candidates.length === 0) return { fits: false, reason };
  candidates.sort((a, b) => {
    const pa = a.host.id === request.preferHostId ? 1 : 0;
    const pb = b.host.id === request.preferHostId ? 1 : 0;
    return pb - pa || b.free.memoryMiB - a.free.memoryMiB || a.host.id.localeCompare(b.host.id);
  });
  const best = candidates[0] as (typeof candidates)[number];
  return { fits: true, hostId: best.host.id, virtualization: best.v };
}

const minus = (a: Capacity, b: Capacity): Capacity => ({
  cpu: a.cpu - b.cpu,
  memoryMiB: a.memoryMiB - b.memoryMiB,
  diskMiB: a.diskMiB - b.diskMiB,
});

/**
 * A reservation places its appliance on the reserved host unless that host is gone, is to be
 * avoided, or has failed (fenced, or being fenced): an HA appliance restarting after its host's
 * failure goes elsewhere like an unreserved one, since the capacity promised there is out of reach.
 */
function reservationHolds(snapshot: PlacementSnapshot, request: PlacementRequest, hostId: string): boolean {
  if (request.avoidHostIds?.includes(hostId)) return false;
  const host = snapshot.hosts.find((h) => h.id === hostId);
  const state = host?.status.lease?.state;
  return host !== undefined && state !== 'fenced' && state !== 'fencing' && state !== 'fence-failed';
}

/** Whether a plan for an appliance with this reservation is on the reserved host (its capacity already counted). */
export const isReservedPlacement = (reservation: { hostId: string } | null | undefined, hostId: string): boolean => reservation?.hostId === hostId;

function placeReserved(snapshot: PlacementSnapshot, request: PlacementRequest, hostId: string): Plan {
  // No lease check here: the capacity is promised, and if the host's agent is away the start
  // fails with FY_AGENT_UNREACHABLE and is retried, rather than the unit going elsewhere.
  const host = snapshot.hosts.find((h) => h.id === hostId);
  if (!host || !isHost(host)) return { fits: false, reason: `the reserved host ${hostId} is gone` };
  const v = chooseVirtualization(host, request.requirements.virtualization);
  if (!v) return { fits: false, reason: `the reserved host does not offer ${request.requirements.virtualization}` };
  // A physical appliance needs a whole server of the host, not a slot of its capacity.
  if (v === 'physical') {
    const machine = idleMachine(snapshot, hostId, request.requirements);
    if (!machine) return { fits: false, reason: 'no idle physical server of the reserved host is big enough' };
    return { fits: true, hostId, virtualization: v, machineId: machine.id };
  }
  return { fits: true, hostId, virtualization: v };
}

/** An idle physical server booted by `hostId` that is big enough (the smallest such, to keep big ones free). */
export function idleMachine(snapshot: PlacementSnapshot, hostId: string, req: Requirements): Resource | undefined {
  return snapshot.slots
    .filter(
      (m) =>
        m.spec.type === 'physical' &&
        m.spec.hostId === hostId &&
        m.spec.bmc &&
        m.spec.mac &&
        m.status.applianceId === null &&
        m.spec.capacity.cpu >= req.cpu &&
        m.spec.capacity.memoryMiB >= req.memoryMiB &&
        m.spec.capacity.diskMiB >= req.diskMiB,
    )
    .sort((a, b) => a.spec.capacity.memoryMiB - b.spec.capacity.memoryMiB || a.id.localeCompare(b.id))[0];
}
