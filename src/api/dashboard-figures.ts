import { BillingRepo } from '../billing/billing-repo.ts';
import { summarizeInventory, type InventorySummary } from '../cloud/capacity-summary.ts';
import { appliancePhaseSchema, type AppliancePhase } from '../domain/appliance.ts';
import { requestStateSchema, type RequestState } from '../domain/cloud-request.ts';
import { DashboardRepo } from '../store/dashboard-repo.ts';
import type { Store } from '../store/store.ts';

const HOUR_MS = 3_600_000;

export interface DashboardFigures extends InventorySummary {
  generatedAt: string;
  appliances: { total: number; byPhase: Record<AppliancePhase, number> };
  requests: { total: number; byState: Record<RequestState, number> };
  ccu: {
    /** What open meters cost per hour now. */
    burnMilliPerHour: number;
    hours: number;
    debitedMilli: number;
    /** One entry per UTC hour, oldest first, the current hour last. */
    series: { hour: string; debitedMilli: number }[];
  };
}

/**
 * Everything the admin dashboard shows, from a fixed number of aggregate queries (eight), so
 * it costs the same with ten appliances or a hundred thousand: counts by phase and state, slot
 * and server sums by host, reservations held now, the hosts, and CCU debited per hour.
 */
export async function dashboardFigures(store: Store, cpuAllocationRatio: number, hours: number): Promise<DashboardFigures> {
  const now = store.clock.now();
  const repo = new DashboardRepo(store.db, store.dialect);
  const billing = new BillingRepo(store.db);
  // The current hour and the `hours - 1` before it.
  const firstHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
  const [phases, states, hosts, slots, servers, reserved, debited, burn] = await Promise.all([
    repo.countsBy('appliances'),
    repo.countsBy('cloud_requests'),
    repo.hosts(),
    repo.slotUsage(),
    repo.serverUsage(),
    repo.reservedAt(now),
    billing.debitedPerHour(new Date(firstHour).toISOString()),
    billing.openBurnMilliPerHour(),
  ]);
  const series = Array.from({ length: hours }, (_, i) => {
    const hour = new Date(firstHour + i * HOUR_MS).toISOString();
    return { hour, debitedMilli: debited.get(hour.slice(0, 13)) ?? 0 };
  });
  return {
    generatedAt: now.toISOString(),
    ...summarizeInventory({ now, cpuAllocationRatio, hosts, slots, servers, reserved }),
    appliances: { total: total(phases), byPhase: complete(appliancePhaseSchema.options, phases) },
    requests: { total: total(states), byState: complete(requestStateSchema.options, states) },
    ccu: { burnMilliPerHour: burn, hours, debitedMilli: series.reduce((n, s) => n + s.debitedMilli, 0), series },
  };
}

/** Every known key with its count, zero when none. */
function complete<K extends string>(keys: readonly K[], found: Map<string, number>): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, found.get(k) ?? 0])) as Record<K, number>;
}

const total = (found: Map<string, number>): number => [...found.values()].reduce((n, x) => n + x, 0);
