import { FleetyardError } from '../domain/errors.ts';
import type { Repos } from '../store/store.ts';
import { admitHaAppliance, type HaCandidate } from './admission-rule.ts';
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
