import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import { chargeBetween } from './accrual.ts';
import { BillingRepo, type Meter } from './billing-repo.ts';

/**
 * A balance is the sum of a user's ledger entries. `balances` caches it (updated in the same
 * transaction as every entry) and can be thrown away and rebuilt from the ledger at any time.
 */
export async function balanceOf(store: Store, userId: string): Promise<number> {
  return new BillingRepo(store.db).balance(userId);
}

export interface RebuiltBalance {
  userId: string;
  beforeMilli: number;
  afterMilli: number;
}

/**
 * Wipes `balances` and recomputes it from `ledger_entries`, in one transaction; returns every
 * user's figure before and after (they differ only if the cache was wrong). On PostgreSQL the
 * table is locked first so a posting running at the same time adds its debit after the rebuild,
 * on top of the recomputed figure, instead of into a row the rebuild is about to replace.
 */
export async function rebuildBalances(store: Store): Promise<RebuiltBalance[]> {
  const now = store.clock.now();
  return store.transaction(async (tx) => {
    const repo = new BillingRepo(tx.db);
    if (store.dialect === 'postgres') await sql`lock table balances in exclusive mode`.execute(tx.db);
    const before = await repo.balances();
    await repo.clearBalances();
    await repo.insertBalancesFromLedger(now);
    const after = await repo.balances();
    const users = [...new Set([...before.keys(), ...after.keys()])].sort();
    return users.map((userId) => ({ userId, beforeMilli: before.get(userId) ?? 0, afterMilli: after.get(userId) ?? 0 }));
  });
}

export interface Burn {
  /** Sum of the prices of the user's open meters. */
  burnMilliPerHour: number;
  /** What the user's meters have run up since their last posting, not yet in the ledger. */
  unpostedMilli: number;
}

/** The user's current burn rate and the charges waiting for the next posting run. */
export async function burnOf(store: Store, userId: string, now: Date): Promise<Burn> {
  return burnOfMeters(await new BillingRepo(store.db).unpostedMeters(userId), now);
}

export function burnOfMeters(meters: Meter[], now: Date): Burn {
  let burnMilliPerHour = 0;
  let unpostedMilli = 0;
  for (const m of meters) {
    if (m.stoppedAt === null) burnMilliPerHour += m.ccuPerHourMilli;
    const end = m.stoppedAt !== null && Date.parse(m.stoppedAt) < now.getTime() ? new Date(m.stoppedAt) : now;
    if (end.getTime() > Date.parse(m.postedUntil)) unpostedMilli += chargeBetween(m, new Date(m.postedUntil), end).amountMilli;
  }
  return { burnMilliPerHour, unpostedMilli };
}
