import type { Repos } from '../store/store.ts';
import type { FleetSnapshot } from './failover-plan.ts';

/**
 * The fleet as the placement planner sees it (reconcile/placement-planner.ts: hosts are resources
 * that offer virtualizations, slots those that name a host), plus every appliance, read through
 * `repos` (a transaction's own, inside one).
 */
export async function readFleetSnapshot(repos: Repos, now: Date, cpuAllocationRatio: number): Promise<FleetSnapshot> {
  // One after another: inside a transaction the repos share one connection.
  const resources = await repos.resources.all();
  const appliances = await repos.appliances.all();
  const reservations = await repos.cloud.reservations();
  return {
    now,
    hosts: resources.filter((r) => r.spec.virtualizations.length > 0),
    slots: resources.filter((r) => r.spec.hostId !== null),
    appliances,
    cpuAllocationRatio,
    reservations,
  };
}
