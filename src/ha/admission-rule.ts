import { INITIAL_APPLIANCE_STATUS, type Appliance, type Requirements } from '../domain/appliance.ts';
import type { PlacementConstraints } from '../domain/placement-constraints.ts';
import { constraintsRequest, groupMemberOf } from '../scheduler/constraints.ts';
import { place } from '../scheduler/placement.ts';
import { liveHosts, planFailure, withPlacement, type FleetSnapshot } from './failover-plan.ts';

/**
 * Whether admitting one more HA appliance keeps the fleet N+1, as a pure function. The new
 * appliance is placed where the scheduler would put it now; then every single-host failure is
 * planned with it. It is refused when some HA appliance (itself included) would lose its place in
 * a scenario where it had one before: a fleet that already does not tolerate a failure may still
 * take an appliance that harms nobody. One that fits nowhere now is not refused here: it waits,
 * pending, like any other, and the continuous check speaks up when it is placed.
 */
export interface HaCandidate {
  name: string;
  requirements: Requirements;
  reservation: { id: string; hostId: string } | null;
  ownerId?: string | null;
  placement?: PlacementConstraints;
}

export type AdmissionVerdict = { admit: true } | { admit: false; reason: string };

/** Sorts after every id already made (UUIDv7), as the new appliances' ids will, in their order. */
const candidateId = (i: number): string => `ffffffff-ffff-7fff-bfff-${i.toString(16).padStart(12, '0')}`;
const isCandidate = (id: string): boolean => id.startsWith('ffffffff-ffff-7fff-bfff-');

export function admitHaAppliance(snapshot: FleetSnapshot, candidate: HaCandidate): AdmissionVerdict {
  return admitHaAppliances(snapshot, [candidate]);
}

/**
 * Several new HA appliances at once (the units of a cloud request): each is placed with the ones
 * before it counted, and the fleet with all of them must keep every place it had.
 */
export function admitHaAppliances(snapshot: FleetSnapshot, candidates: readonly HaCandidate[]): AdmissionVerdict {
  let after = snapshot;
  for (const [i, candidate] of candidates.entries()) after = withCandidate(after, candidate, candidateId(i));
  if (after === snapshot) return { admit: true };
  for (const host of liveHosts(snapshot)) {
    const hadPlace = new Set(planFailure(snapshot, [host.id]).restarts.filter((r) => r.fits).map((r) => r.applianceId));
    for (const r of planFailure(after, [host.id]).restarts) {
      if (r.fits) continue;
      if (isCandidate(r.applianceId)) {
        return { admit: false, reason: `${r.name} would run on ${host.name}, and if ${host.name} failed it could not restart elsewhere: ${r.reason}` };
      }
      if (hadPlace.has(r.applianceId)) {
        return { admit: false, reason: `if ${host.name} failed, HA appliance ${r.name} could no longer restart: ${r.reason}` };
      }
    }
  }
  return { admit: true };
}

/** The fleet with `candidate` running where the scheduler would put it now (unchanged when it fits nowhere). */
function withCandidate(snapshot: FleetSnapshot, candidate: HaCandidate, id: string): FleetSnapshot {
  const at = snapshot.now.toISOString();
  const unplaced: Appliance = {
    id,
    name: candidate.name,
    version: 1,
    generation: 1,
    createdAt: at,
    updatedAt: at,
    spec: {
      ownerId: candidate.ownerId ?? null,
      imageId: '',
      kernelId: null,
      requirements: candidate.requirements,
      command: null,
      hostname: candidate.name,
      network: '',
      ha: true,
      labels: {},
      desiredState: 'running',
      reservation: candidate.reservation,
      login: null,
      ...(candidate.placement ? { placement: candidate.placement } : {}),
    },
    status: INITIAL_APPLIANCE_STATUS,
    deletionRequestedAt: null,
    finalizers: [],
  };
  const plan = place(snapshot, {
    requirements: candidate.requirements,
    preferHostId: null,
    reservation: candidate.reservation,
    ...constraintsRequest(unplaced, snapshot.appliances.map(groupMemberOf)),
  });
  if (!plan.fits) return snapshot;
  const appliance: Appliance = {
    ...unplaced,
    status: { ...INITIAL_APPLIANCE_STATUS, phase: 'running', hostId: plan.hostId, virtualization: plan.virtualization, handle: { cloneHostId: plan.hostId } },
  };
  const slots = withPlacement(snapshot.slots, appliance, plan.hostId, plan.virtualization, plan.machineId);
  return { ...snapshot, slots, appliances: [...snapshot.appliances, appliance] };
}
