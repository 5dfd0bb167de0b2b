import { FleetyardError } from '../domain/errors.ts';
import type { Repos } from '../store/store.ts';
import { DEFAULT_REQUIREMENTS } from '../domain/appliance.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import type { Size } from '../domain/product.ts';
import { admitHaAppliance, admitHaAppliances, type AdmissionVerdict, type HaCandidate } from './admission-rule.ts';
import { readFleetSnapshot } from './fleet-snapshot.ts';

/**
 * Enforced admission (FLEETYARD_HA_ADMISSION=enforce): refuses, with FY_HA_ADMISSION, a new HA
 * appliance that would break N+1 (admission-rule.ts). Called inside the creating transaction, so
 * the fleet it judges is the one the appliance joins.
 */
export async function refuseIfBreaksN1(
  tx: Repos,
  now: Date,
  cpuAllocationRatio: number,
  candidate: HaCandidate,
): Promise<void> {
  const verdict = admitHaAppliance(await readFleetSnapshot(tx, now, cpuAllocationRatio), candidate);
  if (!verdict.admit) {
    throw new FleetyardError('FY_HA_ADMISSION', `HA appliance ${candidate.name} refused: ${verdict.reason}`, { field: 'ha', reason: verdict.reason });
  }
}

/**
 * Enforced admission of an HA cloud request, at its approval: its units, each on the host its
 * reservation (just made in `tx`) names, must not break N+1. The request reconciler turns a
 * refusal into `no-capacity` with the reason.
 */
export async function admitHaRequest(tx: Repos, now: Date, cpuAllocationRatio: number, r: CloudRequest, size: Size): Promise<AdmissionVerdict> {
  const units = (await tx.cloud.reservations()).filter((x) => x.requestId === r.id).sort((a, b) => a.unit - b.unit);
  const requirements = { ...DEFAULT_REQUIREMENTS, cpu: size.cpu, memoryMiB: size.memoryMiB, diskMiB: size.diskMiB, virtualization: r.spec.virtualization };
  const candidates = units.map((u) => ({ name: `${r.name} unit ${u.unit + 1}`, requirements, reservation: { id: u.id, hostId: u.hostId }, ownerId: r.spec.ownerId }));
  return admitHaAppliances(await readFleetSnapshot(tx, now, cpuAllocationRatio), candidates);
}
