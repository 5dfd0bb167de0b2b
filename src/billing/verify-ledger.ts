import type { Store } from '../store/store.ts';
import { chargeBetween } from './accrual.ts';
import { BillingRepo, type LedgerEntry, type Meter, type UsageRecord } from './billing-repo.ts';

/**
 * The replay check: recomputes every charge from first principles and reports where the stored
 * rows disagree. It checks, for every meter, that its usage records tile [startedAt, postedUntil)
 * with no gap that held a billable second and no overlap, that each record's seconds and amount
 * are what the meter's price gives for its period, that each record has exactly the debit that
 * takes its amount, that no debit lacks a record, and that every cached balance equals the sum of
 * the user's ledger. An empty answer is the promise kept: every CCU debited is explained.
 */
export type LedgerProblemKind = 'coverage' | 'usage-mismatch' | 'debit-missing' | 'debit-mismatch' | 'debit-orphan' | 'balance-mismatch';

export interface LedgerProblem {
  kind: LedgerProblemKind;
  userId: string;
  /** The meter, usage record, ledger entry or user the problem is about. */
  id: string;
  expectedMilli?: number;
  actualMilli?: number;
  message: string;
}

export async function verifyLedger(store: Store): Promise<LedgerProblem[]> {
  const repo = new BillingRepo(store.db);
  const problems: LedgerProblem[] = [];
  const debitOf = new Map<string, LedgerEntry>();
  for (const d of await repo.debits()) if (d.usageRecordId) debitOf.set(d.usageRecordId, d);
  const seen = new Set<string>();
  for (const meter of await repo.allMeters()) {
    const records = await repo.usageRecordsOfMeter(meter.id);
    problems.push(...checkMeter(meter, records, debitOf));
    for (const r of records) seen.add(r.id);
  }
  for (const [usageId, d] of debitOf) {
    if (!seen.has(usageId)) problems.push({ kind: 'debit-orphan', userId: d.userId, id: d.id, actualMilli: d.amountMilli, message: `debit ${d.id} points at no usage record of any meter` });
  }
  const sums = await repo.ledgerSums();
  const cached = await repo.balances();
  for (const userId of new Set([...sums.keys(), ...cached.keys()])) {
    const expected = sums.get(userId) ?? 0;
    const actual = cached.get(userId) ?? 0;
    if (expected !== actual) problems.push({ kind: 'balance-mismatch', userId, id: userId, expectedMilli: expected, actualMilli: actual, message: `balance says ${actual}, the ledger sums to ${expected}` });
  }
  return problems;
}

function checkMeter(meter: Meter, records: UsageRecord[], debitOf: Map<string, LedgerEntry>): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  const at = (iso: string): Date => new Date(iso);
  const billable = (from: string, to: string): number => chargeBetween(meter, at(from), at(to)).seconds;
  let cursor = meter.startedAt;
  for (const r of records) {
    if (r.periodStart < cursor) {
      problems.push({ kind: 'coverage', userId: meter.userId, id: r.id, message: `usage record ${r.id} starts at ${r.periodStart}, inside the period posted before it (to ${cursor})` });
    } else if (billable(cursor, r.periodStart) > 0) {
      problems.push({ kind: 'coverage', userId: meter.userId, id: meter.id, message: `meter ${meter.id} has no usage record for ${cursor} – ${r.periodStart}` });
    }
    const expected = chargeBetween(meter, at(r.periodStart), at(r.periodEnd));
    if (expected.seconds !== r.seconds || expected.amountMilli !== r.amountMilli || r.userId !== meter.userId) {
      problems.push({
        kind: 'usage-mismatch',
        userId: meter.userId,
        id: r.id,
        expectedMilli: expected.amountMilli,
        actualMilli: r.amountMilli,
        message: `usage record ${r.id} says ${r.seconds} s for ${r.amountMilli}; the meter gives ${expected.seconds} s for ${expected.amountMilli}`,
      });
    }
    const debit = debitOf.get(r.id);
    if (!debit) {
      problems.push({ kind: 'debit-missing', userId: meter.userId, id: r.id, expectedMilli: -r.amountMilli, message: `usage record ${r.id} has no debit` });
    } else if (debit.amountMilli !== -r.amountMilli || debit.userId !== r.userId) {
      problems.push({ kind: 'debit-mismatch', userId: debit.userId, id: debit.id, expectedMilli: -r.amountMilli, actualMilli: debit.amountMilli, message: `debit ${debit.id} does not take what usage record ${r.id} says` });
    }
    if (r.periodEnd > cursor) cursor = r.periodEnd;
  }
  if (cursor > meter.postedUntil || billable(cursor, meter.postedUntil) > 0) {
    problems.push({ kind: 'coverage', userId: meter.userId, id: meter.id, message: `meter ${meter.id} is posted until ${meter.postedUntil} but its usage records reach ${cursor}` });
  }
  return problems;
}
