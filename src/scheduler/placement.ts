import type { Requirements } from '../domain/appliance.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import { hostIsAsleep } from '../domain/host-power.ts';
import { formatLabels, hasLabels } from '../domain/placement-constraints.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Capacity, Resource } from '../domain/resource.ts';
import { describeCapacity, evaluate, fitsIn, score, summarise, type Explanation, type Filter, type HostVerdict, type PlacementPolicy } from './pipeline.ts';
import { peakReserved } from './reservations.ts';

/**
 * Placement as a pure function: a read-only snapshot in, a plan out. It touches no store and no
 * clock of its own, so it is tested with plain data; the planner that calls it re-checks the plan
 * inside the committing transaction (see reconcile/placement-planner.ts).
 *
 * The pipeline (pipeline.ts): the hosts that are live, not to be avoided, carry the labels asked
 * for, run no member of the appliance's anti-affinity group, offer the virtualization and have
 * room (an idle server, for a physical appliance) are ranked by the policy, the host that already
 * holds the appliance's clone first. The plan carries the explanation: every host's verdict.
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
  /** How candidates are ranked (pipeline.ts); spread when absent. */
  policy?: PlacementPolicy;
}

/** Label on a slot whose capacity a reservation already counts. */
export const RESERVATION_LABEL = 'fleetyard.io/reservation';

export type Plan =
  | { fits: true; hostId: string; virtualization: Virtualization; /** physical: the server it boots on */ machineId?: string; explanation: Explanation }
  | { fits: false; reason: string; explanation: Explanation };

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
  const policy = request.policy ?? 'spread';
  if (request.reservation && reservationHolds(snapshot, request, request.reservation.hostId)) return placeReserved(snapshot, request, request.reservation.hostId, policy);
  const ask: Capacity = { cpu: req.cpu, memoryMiB: req.memoryMiB, diskMiB: req.diskMiB };
  const filters: Filter[] = [
    { name: 'host', check: ({ host }) => (isHost(host) ? null : 'offers no virtualization') },
    { name: 'live', check: ({ host }) => (hostIsLive(host, snapshot.now) ? null : notLive(host, snapshot.now)) },
    { name: 'avoided', check: ({ host }) => (request.avoidHostIds?.includes(host.id) ? 'it is to be avoided (the appliance failed there)' : null) },
    {
      name: 'labels',
      check: ({ host }) => (!request.hostLabels || hasLabels(host.spec.labels, request.hostLabels) ? null : `lacks the labels ${formatLabels(request.hostLabels)}`),
    },
    {
      name: 'anti-affinity',
      check: ({ host }) => (request.antiAffinity?.hostIds.includes(host.id) ? `runs an appliance of its anti-affinity group ${request.antiAffinity.group}` : null),
    },
    {
      name: 'virtualization',
      check: (h) => {
        const v = chooseVirtualization(h.host, req.virtualization);
        if (!v) return `offers ${h.host.spec.virtualizations.join(', ') || 'nothing'}, not ${req.virtualization}`;
        h.virtualization = v;
        return null;
      },
    },
    {
      name: 'physical-server',
      check: (h) => {
        if (h.virtualization !== 'physical') return null;
        const machine = idleMachine(snapshot, h.host.id, req);
        if (!machine) return `boots no idle physical server with ${req.cpu} cpu and ${req.memoryMiB} MiB`;
        h.machine = machine;
        return null;
      },
    },
    {
      name: 'capacity',
      check: (h) => {
        if (h.virtualization === 'physical') return null;
        h.free = minus(
          freeCapacity(h.host, snapshot.slots, snapshot.cpuAllocationRatio),
          // An unreserved appliance has no end, so it must leave every future reservation its room.
          peakReserved(snapshot.reservations, h.host.id, snapshot.now.getTime(), Number.MAX_SAFE_INTEGER),
        );
        return fitsIn(h.free, ask) ? null : `has ${describeCapacity(h.free)} free, needs ${describeCapacity(ask)}`;
      },
    },
  ];
  const { ranked, explanation } = evaluate(
    snapshot.hosts,
    filters,
    policy,
    // A physical appliance takes a whole server: the one that fits best, whatever the policy.
    (h) => (h.machine ? -(h.machine.spec.capacity.memoryMiB - req.memoryMiB) : score(policy, { host: h.host, free: h.free as Capacity, ask })),
    request.preferHostId,
  );
  const best = ranked[0];
  if (!best) {
    const reason = summarise(explanation, {
      host: 'no live host',
      live: 'no live host',
      avoided: 'no live host other than the one it is to avoid',
      ...(request.hostLabels ? { labels: `no live host has the labels ${formatLabels(request.hostLabels)}` } : {}),
      ...(request.antiAffinity ? { 'anti-affinity': `every other live host already runs an appliance of its anti-affinity group ${request.antiAffinity.group}` } : {}),
      virtualization: `no live host offers ${req.virtualization}`,
      'physical-server': `no idle physical server with ${req.cpu} cpu and ${req.memoryMiB} MiB is attached to a live boot host`,
      capacity: `no host has ${req.cpu} cpu, ${req.memoryMiB} MiB memory and ${req.diskMiB} MiB disk free`,
    }, 'no live host');
    return { fits: false, reason, explanation };
  }
  return { fits: true, hostId: best.host.id, virtualization: best.virtualization, ...(best.machine ? { machineId: best.machine.id } : {}), explanation };
}

/** Why a host is not live, in its own terms: its lease's state, or how long it has been silent. */
function notLive(host: Resource, now: Date): string {
  if (hostIsAsleep(host)) return `the power manager has it ${host.status.power?.state} (${host.status.power?.reason})`;
  const lease = host.status.lease;
  if (lease && lease.state !== 'live') return `its lease is ${lease.state}`;
  if (!host.status.lastHeartbeatAt) return 'it has never sent a heartbeat';
  return `no heartbeat for ${Math.round((now.getTime() - Date.parse(host.status.lastHeartbeatAt)) / 1000)} s`;
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

function placeReserved(snapshot: PlacementSnapshot, request: PlacementRequest, hostId: string, policy: PlacementPolicy): Plan {
  // No lease check here: the capacity is promised, and if the host's agent is away the start
  // fails with FY_AGENT_UNREACHABLE and is retried, rather than the unit going elsewhere.
  const host = snapshot.hosts.find((h) => h.id === hostId);
  const only = (rejectedBy: HostVerdict['rejectedBy'], reason: string | null, virtualization: Virtualization | null): Explanation => ({
    policy,
    hosts: host ? [{ hostId, host: host.name, rejectedBy, reason, score: null, virtualization }] : [],
  });
  if (!host || !isHost(host)) return { fits: false, reason: `the reserved host ${hostId} is gone`, explanation: only('host', 'it is gone', null) };
  const v = chooseVirtualization(host, request.requirements.virtualization);
  if (!v) {
    const reason = `the reserved host does not offer ${request.requirements.virtualization}`;
    return { fits: false, reason, explanation: only('virtualization', reason, null) };
  }
  // A physical appliance needs a whole server of the host, not a slot of its capacity.
  if (v === 'physical') {
    const machine = idleMachine(snapshot, hostId, request.requirements);
    if (!machine) {
      const reason = 'no idle physical server of the reserved host is big enough';
      return { fits: false, reason, explanation: only('physical-server', reason, v) };
    }
    return { fits: true, hostId, virtualization: v, machineId: machine.id, explanation: only(null, null, v) };
  }
  return { fits: true, hostId, virtualization: v, explanation: only(null, null, v) };
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
