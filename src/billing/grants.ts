import { FleetyardError } from '../domain/errors.ts';
import { ccuToMilli, MAX_MILLI } from '../domain/pricing.ts';
import type { Store } from '../store/store.ts';
import { noteImprovement } from './alerts.ts';
import { BillingRepo, type LedgerEntry } from './billing-repo.ts';

/**
 * Credit an admin gives (a grant) or corrects (an adjustment, either sign). Each is one ledger
 * entry under the caller's idempotency key, so a retried request grants once: the second call
 * returns the first entry with `created: false`. Reusing a key for a different grant is refused.
 */
export interface CreditResult {
  entry: LedgerEntry;
  created: boolean;
  balanceMilli: number;
}

export async function grant(store: Store, userId: string, amountMilli: number, note: string, idempotencyKey: string): Promise<CreditResult> {
  if (!Number.isSafeInteger(amountMilli) || amountMilli <= 0) throw new FleetyardError('FY_VALIDATION', 'a grant must be a positive whole number of milli-CCU');
  return credit(store, 'grant', userId, amountMilli, note, idempotencyKey);
}

/** A signed correction by an admin; the note should say why. */
export async function adjust(store: Store, userId: string, amountMilli: number, note: string, idempotencyKey: string): Promise<CreditResult> {
  if (!Number.isSafeInteger(amountMilli) || amountMilli === 0) throw new FleetyardError('FY_VALIDATION', 'an adjustment must be a non-zero whole number of milli-CCU');
  return credit(store, 'adjustment', userId, amountMilli, note, idempotencyKey);
}

async function credit(store: Store, kind: 'grant' | 'adjustment', userId: string, amountMilli: number, note: string, idempotencyKey: string): Promise<CreditResult> {
  if (Math.abs(amountMilli) > MAX_MILLI) throw new FleetyardError('FY_VALIDATION', 'the amount is too large');
  const now = store.clock.now();
  return store.transaction(async (tx) => {
    await tx.users.require(userId);
    const repo = new BillingRepo(tx.db);
    const { entry, created } = await repo.insertEntryIfAbsent({
      id: store.ids.next(),
      userId,
      kind,
      amountMilli,
      usageRecordId: null,
      idempotencyKey: `${kind}:${idempotencyKey}`,
      note,
      createdAt: now.toISOString(),
    });
    if (!created && (entry.userId !== userId || entry.amountMilli !== amountMilli)) {
      throw new FleetyardError('FY_VALIDATION', 'this idempotency key was already used for a different credit', { idempotencyKey });
    }
    if (created) {
      await repo.addToBalance(userId, amountMilli, now);
      await tx.emit({ type: `billing.${kind}`, kind: 'billing', objectId: userId, message: `${kind} of ${amountMilli} milli-CCU: ${note}`, data: { entryId: entry.id, amountMilli } });
    }
    const balanceMilli = await repo.balance(userId);
    const { priceList } = await repo.currentPriceList();
    await noteImprovement(repo, userId, balanceMilli, ccuToMilli(priceList.lowBalanceCcu), now);
    return { entry, created, balanceMilli };
  });
}
