import type { Appliance } from '../domain/appliance.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Resource } from '../domain/resource.ts';
import type { GroupMember } from '../domain/placement-constraints.ts';
import { constraintsRequest, groupMemberOf } from '../scheduler/constraints.ts';
import { isReservedPlacement, place, RESERVATION_LABEL, type PlacementSnapshot } from '../scheduler/placement.ts';

/**
 * The N+1 plan, as pure functions: what the failover would do if some hosts failed now.
 *
 * It predicts the failover by doing what the failover does: the failed hosts and everything on
 * them (their slots, the physical servers they boot) leave the snapshot, and each displaced HA
 * appliance is placed with the scheduler's own `place()`, one after another in ascending id
 * (UUIDv7: creation order), each placement's slot added to the snapshot before the next. The
 * failover must place them in that same order for the plan to come true (`failoverOrder`).
 * Non-HA appliances of a failed host are not restarted: they are listed as lost.
 */
export interface FleetSnapshot extends PlacementSnapshot {
  appliances: Appliance[];
}

export interface HostRef {
  id: string;
  name: string;
}

export type Restart = {
  applianceId: string;
  name: string;
  from: HostRef;
} & ({ fits: true; to: HostRef; virtualization: Virtualization; reason: null } | { fits: false; to: null; virtualization: null; reason: string });

export interface FailureScenario {
  failed: HostRef[];
  /** Every displaced HA appliance, in the order the failover places them. */
  restarts: Restart[];
  /** Non-HA appliances of the failed hosts: they are marked lost, not restarted. */
  lost: Array<{ applianceId: string; name: string; from: HostRef }>;
  /** How many of `restarts` would find no place. */
  unplaced: number;
}

export interface Tolerance {
  /** True when every HA appliance has a place whichever single host fails. */
  tolerates: boolean;
  /** HA appliances that should run (not deleting, desired running), placed or not. */
  haAppliances: number;
  /** One scenario per live host, that host alone failed, in host name order. */
  scenarios: FailureScenario[];
  /** The scenario with the most appliances without a place (the first such); null without hosts. */
  worst: FailureScenario | null;
  /** The snapshot's time. */
  checkedAt: string;
}

/** Ascending id, compared by code unit (UUIDv7 ids sort by creation): the failover's order. */
export const failoverOrder = (a: Pick<Appliance, 'id'>, b: Pick<Appliance, 'id'>): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** An appliance that should be running: restarted (HA) or lost (not HA) when its host fails. */
const wantsToRun = (a: Appliance): boolean => a.deletionRequestedAt === null && a.spec.desiredState === 'running';

export const isRunningHa = (a: Appliance): boolean => a.spec.ha && wantsToRun(a);

const ref = (hosts: Map<string, Resource>, id: string): HostRef => ({ id, name: hosts.get(id)?.name ?? id });

/** What happens if `failedHostIds` fail at once. */
export function planFailure(snapshot: FleetSnapshot, failedHostIds: readonly string[]): FailureScenario {
  const failed = new Set(failedHostIds);
  const byId = new Map(snapshot.hosts.map((h) => [h.id, h]));
  const displaced = snapshot.appliances.filter((a) => a.status.hostId !== null && failed.has(a.status.hostId) && wantsToRun(a)).sort(failoverOrder);
  let working: PlacementSnapshot = {
    now: snapshot.now,
    cpuAllocationRatio: snapshot.cpuAllocationRatio,
    reservations: snapshot.reservations,
    hosts: snapshot.hosts.filter((h) => !failed.has(h.id)),
    slots: snapshot.slots.filter((s) => s.spec.hostId === null || !failed.has(s.spec.hostId)),
  };
  // Where every appliance is while the scenario unfolds (for anti-affinity): off the failed hosts,
  // then on the host each restart takes.
  const members = new Map<string, GroupMember>(
    snapshot.appliances.map((x) => [x.id, { ...groupMemberOf(x), hostId: x.status.hostId !== null && failed.has(x.status.hostId) ? null : x.status.hostId }]),
  );
  const restarts: Restart[] = [];
  const lost: FailureScenario['lost'] = [];
  for (const a of displaced) {
    const from = ref(byId, a.status.hostId as string);
    if (!a.spec.ha) {
      lost.push({ applianceId: a.id, name: a.name, from });
      continue;
    }
    // The same request the placement planner makes (reconcile/placement-planner.ts).
    const preferHostId = typeof a.status.handle.cloneHostId === 'string' ? a.status.handle.cloneHostId : null;
    const plan = place(working, { requirements: a.spec.requirements, preferHostId, reservation: a.spec.reservation, ...constraintsRequest(a, members.values()) });
    if (!plan.fits) {
      restarts.push({ applianceId: a.id, name: a.name, from, fits: false, to: null, virtualization: null, reason: plan.reason });
      continue;
    }
    restarts.push({ applianceId: a.id, name: a.name, from, fits: true, to: ref(byId, plan.hostId), virtualization: plan.virtualization, reason: null });
    working = { ...working, slots: withPlacement(working.slots, a, plan.hostId, plan.virtualization, plan.machineId) };
    members.set(a.id, { ...groupMemberOf(a), hostId: plan.hostId });
  }
  return {
    failed: [...failed].map((id) => ref(byId, id)).sort((x, y) => x.name.localeCompare(y.name)),
    restarts,
    lost,
    unplaced: restarts.filter((r) => !r.fits).length,
  };
}

/** The slots after placing `a`: a new slot with its capacity, or the physical server it takes. */
export function withPlacement(slots: Resource[], a: Appliance, hostId: string, virtualization: Virtualization, machineId: string | undefined): Resource[] {
  if (machineId) return slots.map((s) => (s.id === machineId ? { ...s, status: { ...s.status, applianceId: a.id, state: 'active' as const } } : s));
  const slot: Resource = {
    id: `planned-${a.id}`,
    name: `planned-${a.name}`,
    version: 1,
    generation: 1,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    spec: {
      type: virtualization === 'qemu' ? 'vm' : 'container',
      hostId,
      capacity: { cpu: a.spec.requirements.cpu, memoryMiB: a.spec.requirements.memoryMiB, diskMiB: a.spec.requirements.diskMiB },
      virtualizations: [],
      labels: {
        'fleetyard.io/virtualization': virtualization,
        ...(a.spec.reservation && isReservedPlacement(a.spec.reservation, hostId) ? { [RESERVATION_LABEL]: a.spec.reservation.id } : {}),
      },
    },
    status: { state: 'active', powerState: 'on', applianceId: a.id, address: null, lastHeartbeatAt: null, facts: {} },
  };
  return [...slots, slot];
}

/** Hosts whose failure is a scenario: live, their lease (when the failure detector keeps one) held. */
export function liveHosts(snapshot: PlacementSnapshot): Resource[] {
  return snapshot.hosts
    .filter((h) => isHost(h) && hostIsLive(h, snapshot.now) && (h.status.lease === undefined || h.status.lease.state === 'live'))
    .sort((a, b) => a.name.localeCompare(b.name) || failoverOrder(a, b));
}

/** For each live host, the plan if it alone failed; N+1 holds when every scenario places every HA appliance. */
export function toleratesAnySingleFailure(snapshot: FleetSnapshot): Tolerance {
  const scenarios = liveHosts(snapshot).map((h) => planFailure(snapshot, [h.id]));
  const worst = scenarios.reduce<FailureScenario | null>((w, s) => (w === null || s.unplaced > w.unplaced ? s : w), null);
  return {
    tolerates: scenarios.every((s) => s.unplaced === 0),
    haAppliances: snapshot.appliances.filter(isRunningHa).length,
    scenarios,
    worst,
    checkedAt: snapshot.now.toISOString(),
  };
}
