import type { Store } from '../store/store.ts';
import { BillingRepo } from './billing-repo.ts';
import type { AlertLevel } from './billing-tables.ts';

/**
 * Low-balance and exhausted-credit warnings, each crossing told once. For every user the table
 * `billing_alerts` keeps the level they were last told about. A check compares it with the level
 * of the current balance (level-based, like a reconciler: it does not matter what moved the
 * balance — posting, a grant, an adjustment or a rebuild):
 *
 *  - worse than told (ok → low, ok → exhausted, low → exhausted): record it and report a crossing;
 *  - better than told (a grant lifted the balance): record it silently, so the next fall is a new
 *    crossing and is reported again.
 *
 * Recording is a compare-and-set on the told level, so of two checks running at once only one
 * reports. The report is what the caller acts on (mail, de-provisioning); it is returned after it
 * has been recorded, so a crash in the caller loses that one warning rather than repeating it.
 */
export type { AlertLevel };

export interface Crossing {
  userId: string;
  balanceMilli: number;
  crossed: 'low' | 'exhausted';
}

const RANK: Record<AlertLevel, number> = { ok: 0, low: 1, exhausted: 2 };

/** exhausted at or below zero, low below the threshold, ok otherwise. */
export function levelOf(balanceMilli: number, lowMilli: number): AlertLevel {
  if (balanceMilli <= 0) return 'exhausted';
  if (balanceMilli < lowMilli) return 'low';
  return 'ok';
}

/** Records and returns every user whose balance crossed a threshold since they were last told. */
export async function checkAlerts(store: Store, lowMilli: number, now: Date): Promise<Crossing[]> {
  const repo = new BillingRepo(store.db);
  const told = await repo.alertLevels();
  const out: Crossing[] = [];
  for (const [userId, balanceMilli] of await repo.balances()) {
    const prev = told.get(userId);
    const level = levelOf(balanceMilli, lowMilli);
    if (level === (prev ?? 'ok')) continue;
    const won = await repo.setAlertLevel(userId, prev, level, now);
    if (won && level !== 'ok' && RANK[level] > RANK[prev ?? 'ok']) out.push({ userId, balanceMilli, crossed: level });
  }
  return out;
}

/**
 * Called where credit is added (a grant), in the same transaction: if the new balance is better
 * than the level the user was last told, records the better level so a later fall is reported.
 */
export async function noteImprovement(repo: BillingRepo, userId: string, balanceMilli: number, lowMilli: number, now: Date): Promise<void> {
  const prev = await repo.alertLevel(userId);
  const level = levelOf(balanceMilli, lowMilli);
  if (prev !== undefined && RANK[level] < RANK[prev]) await repo.setAlertLevel(userId, prev, level, now);
}
