import { formatCcu } from '../domain/pricing.ts';
import type { Store } from '../store/store.ts';
import { chargeBetween } from './accrual.ts';
import { BillingRepo, type Meter } from './billing-repo.ts';
import { nextPeriod } from './periods.ts';

/**
 * Posting turns metered time into charges. For each meter and each due period (see periods.ts)
 * one transaction writes one usage record, one debit that points at it, the balance change and the
 * meter's new `posted_until` — all or nothing. Both rows carry deterministic idempotency keys:
 *
 *   usage:<meterId>:<periodStartIso>    debit:<usageRecordId>
 *
 * and are inserted only if absent, and the balance moves only when the debit was really inserted.
 * So running twice, running after a crash at any point, or two control planes running at once
 * posts every period exactly once: the invariant is sum(debits) = -sum(usage amounts), each debit
 * explained by its usage record, and the periods of a meter tiling [startedAt, postedUntil).
 */
export interface PostedWindow {
  meterId: string;
  userId: string;
  periodStart: string;
  periodEnd: string;
  seconds: number;
  amountMilli: number;
  /** False when another run had already posted this period (nothing was charged now). */
  created: boolean;
}

export interface PostingHooks {
  /**
   * Runs inside each period's transaction after its writes, before the commit. A throw rolls that
   * period back and ends the run, exactly as a crash would; tests use it to prove a re-run heals.
   */
  beforeCommit?(window: PostedWindow, index: number): void | Promise<void>;
}

export interface PostingRun {
  at: string;
  /** Periods posted by this run (not counting those another run had posted). */
  windows: number;
  debitedMilli: number;
  /** Users whose balance this run changed. */
  userIds: string[];
}

/** Posts every period that is due at `now`, for every meter. Safe to repeat at any time. */
export async function postUsage(store: Store, now: Date, hooks: PostingHooks = {}): Promise<PostingRun> {
  const { priceList } = await new BillingRepo(store.db).currentPriceList();
  const run: PostingRun = { at: now.toISOString(), windows: 0, debitedMilli: 0, userIds: [] };
  const users = new Set<string>();
  let index = 0;
  for (const m of await new BillingRepo(store.db).unpostedMeters()) {
    let lastStart: string | null = null;
    for (;;) {
      const w = await postNextPeriod(store, m.id, priceList.postingPeriodSeconds, now, (window) => hooks.beforeCommit?.(window, index));
      // A period that did not move posted_until would come back for ever; only damaged rows do that.
      if (!w || w.periodStart === lastStart) break;
      lastStart = w.periodStart;
      index++;
      if (w.created) {
        run.windows++;
        run.debitedMilli += w.amountMilli;
        users.add(w.userId);
      }
    }
  }
  run.userIds = [...users];
  return run;
}

/** One period of one meter in one transaction; null when the meter has nothing due. */
async function postNextPeriod(
  store: Store,
  meterId: string,
  periodSeconds: number,
  now: Date,
  beforeCommit: (w: PostedWindow) => void | Promise<void>,
): Promise<PostedWindow | null> {
  return store.transaction(async (tx) => {
    const repo = new BillingRepo(tx.db);
    // Re-read inside the transaction: another runner may have moved posted_until meanwhile.
    const meter = await repo.meter(meterId);
    const period = meter ? nextPeriod(meter, periodSeconds, now) : null;
    if (!meter || !period) return null;
    const charge = chargeBetween(meter, period.start, period.end);
    const window: PostedWindow = {
      meterId,
      userId: meter.userId,
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      seconds: charge.seconds,
      amountMilli: charge.amountMilli,
      created: false,
    };
    if (charge.seconds > 0) {
      const posted = await writeCharge(store, repo, meter, window, now);
      Object.assign(window, posted);
    }
    await repo.advanceMeter(meterId, window.periodEnd);
    await beforeCommit(window);
    return window;
  });
}

/** The usage record, its debit and the balance change; the stored record wins over the computed one. */
async function writeCharge(store: Store, repo: BillingRepo, meter: Meter, w: PostedWindow, now: Date): Promise<Partial<PostedWindow>> {
  const { record } = await repo.insertUsageIfAbsent({
    id: store.ids.next(),
    meterId: meter.id,
    userId: meter.userId,
    requestId: meter.requestId,
    periodStart: w.periodStart,
    periodEnd: w.periodEnd,
    seconds: w.seconds,
    amountMilli: w.amountMilli,
    components: meter.components,
    idempotencyKey: `usage:${meter.id}:${w.periodStart}`,
    createdAt: now.toISOString(),
  });
  const amount = record.amountMilli === 0 ? 0 : -record.amountMilli;
  const debit = await repo.insertEntryIfAbsent({
    id: store.ids.next(),
    userId: meter.userId,
    kind: 'debit',
    amountMilli: amount,
    usageRecordId: record.id,
    idempotencyKey: `debit:${record.id}`,
    note: `${record.seconds} s of request ${meter.requestId} at ${formatCcu(meter.ccuPerHourMilli)} CCU/h`,
    createdAt: now.toISOString(),
  });
  if (debit.created) await repo.addToBalance(meter.userId, amount, now);
  return { periodEnd: record.periodEnd, seconds: record.seconds, amountMilli: record.amountMilli, created: debit.created };
}
