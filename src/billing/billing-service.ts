import type { Clock, Timer } from '../domain/clock.ts';
import { ccuToMilli, toCurrency, type PriceList } from '../domain/pricing.ts';
import type { Page } from '../store/pagination.ts';
import type { Store } from '../store/store.ts';
import { checkAlerts } from './alerts.ts';
import { burnOf, rebuildBalances, type RebuiltBalance } from './balance.ts';
import { BillingRepo, type ExplainedEntry, type StoredPriceList } from './billing-repo.ts';
import { creditsLastUntil } from './forecast.ts';
import { grant, type CreditResult } from './grants.ts';
import { nextBoundary } from './periods.ts';
import { postUsage, type PostingHooks, type PostingRun } from './posting.ts';
import { statementCsv, type StatementSpan } from './statement.ts';
import { usageSeries, type UsageBucket, type UsageSeries } from './usage-series.ts';
import { verifyLedger, type LedgerProblem } from './verify-ledger.ts';

/** What the request lifecycle hears after each posting run, for every user it touched or who crossed. */
export interface PostedBalance {
  userId: string;
  balanceMilli: number;
  /** The threshold this user's balance crossed since they were last told, if any. */
  crossed: 'low' | 'exhausted' | null;
}

export type PostedListener = (balances: PostedBalance[]) => void | Promise<void>;

export interface BillingServiceOptions {
  /** Defaults to the store's clock. */
  clock?: Clock;
  hooks?: PostingHooks;
  /** Where failures of scheduled runs and of listeners go (they never stop the schedule). */
  onError?: (e: unknown) => void;
}

/** A user's figures, as the balance route shows them. */
export interface Account {
  userId: string;
  balanceMilli: number;
  unpostedMilli: number;
  burnMilliPerHour: number;
  lastsUntil: Date | null;
  currency: { code: string; amount: string };
  priceListVersion: number;
}

/**
 * Billing wired together. `start()` posts once at once (which catches up after downtime) and then
 * at every window boundary of the price list's posting period, on the injected clock: each run
 * re-arms the next with `clock.at`, so a fake clock drives it in tests and nothing uses
 * setInterval. Runs never overlap within a process (they queue); across processes the idempotency
 * keys make overlapping runs harmless.
 */
export class BillingService {
  private readonly clock: Clock;
  private readonly listeners = new Set<PostedListener>();
  private timer: Timer | null = null;
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly opts: BillingServiceOptions = {},
  ) {
    this.clock = opts.clock ?? store.clock;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.tick();
  }

  /** Cancels the schedule and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.started = false;
    this.timer?.cancel();
    this.timer = null;
    await this.idle();
  }

  /** Resolves once every run queued so far has finished (tests wait on it after moving the clock). */
  async idle(): Promise<void> {
    for (;;) {
      const q = this.queue;
      await q.catch(() => undefined);
      if (q === this.queue) return;
    }
  }

  /**
   * Registers a listener for the outcome of each run; returns the unsubscribe function. Listeners
   * run inside the run's queue slot, so one must not await `runNow()` (it would wait for itself).
   */
  onPosted(listener: PostedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Posts everything due now, checks the thresholds and tells the listeners; queued behind any run in progress. */
  runNow(): Promise<{ run: PostingRun; balances: PostedBalance[] }> {
    return this.enqueue(() => this.runOnce());
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(fn);
    this.queue = next;
    return next;
  }

  /** A scheduled run and the arming of the next one, as one queued task so `idle()` covers both. */
  private tick(): void {
    this.enqueue(async () => {
      try {
        await this.runOnce();
      } catch (e) {
        this.opts.onError?.(e);
      }
      if (!this.started) return;
      let period = 3600;
      try {
        period = (await this.priceList()).priceList.postingPeriodSeconds;
      } catch (e) {
        this.opts.onError?.(e);
      }
      if (!this.started) return;
      this.timer?.cancel();
      this.timer = this.clock.at(nextBoundary(this.clock.now(), period), () => this.tick());
    }).catch((e: unknown) => this.opts.onError?.(e));
  }

  private async runOnce(): Promise<{ run: PostingRun; balances: PostedBalance[] }> {
    const now = this.clock.now();
    const run = await postUsage(this.store, now, this.opts.hooks);
    const { priceList } = await this.priceList();
    const crossings = await checkAlerts(this.store, ccuToMilli(priceList.lowBalanceCcu), now);
    const repo = new BillingRepo(this.store.db);
    const byUser = new Map<string, PostedBalance>();
    for (const userId of run.userIds) byUser.set(userId, { userId, balanceMilli: await repo.balance(userId), crossed: null });
    // Postings write no event of their own (one per meter and window would flood the log); each
    // user whose balance moved hears it once per run, so what shows their balance stays live.
    // A failure here loses only the notice, never the posting or what the listeners do next.
    if (byUser.size > 0) {
      try {
        await this.store.transaction(async (tx) => {
          for (const b of byUser.values()) {
            await tx.emit({ type: 'billing.posted', kind: 'billing', objectId: b.userId, message: `usage posted; balance ${b.balanceMilli} milli-CCU`, data: { balanceMilli: b.balanceMilli } });
          }
        });
      } catch (e) {
        this.opts.onError?.(e);
      }
    }
    for (const c of crossings) byUser.set(c.userId, { userId: c.userId, balanceMilli: c.balanceMilli, crossed: c.crossed });
    const balances = [...byUser.values()];
    for (const l of this.listeners) {
      try {
        await l(balances);
      } catch (e) {
        this.opts.onError?.(e);
      }
    }
    return { run, balances };
  }

  priceList(): Promise<StoredPriceList> {
    return new BillingRepo(this.store.db).currentPriceList();
  }

  /** Stores a new version; meters already open keep the price they were opened with. */
  async setPriceList(priceList: PriceList, by: string | null): Promise<StoredPriceList> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const repo = new BillingRepo(tx.db);
      const current = await repo.currentPriceList();
      const stored = await repo.insertPriceList(current.version + 1, priceList, now, by);
      await tx.emit({ type: 'billing.price-list-changed', kind: 'billing', objectId: String(stored.version), message: `price list version ${stored.version}`, data: { version: stored.version } });
      return stored;
    });
  }

  async account(userId: string): Promise<Account> {
    const now = this.clock.now();
    const repo = new BillingRepo(this.store.db);
    const [balanceMilli, burn, pl] = await Promise.all([repo.balance(userId), burnOf(this.store, userId, now), repo.currentPriceList()]);
    return {
      userId,
      balanceMilli,
      unpostedMilli: burn.unpostedMilli,
      burnMilliPerHour: burn.burnMilliPerHour,
      lastsUntil: creditsLastUntil({ balanceMilli, unpostedMilli: burn.unpostedMilli, burnMilliPerHour: burn.burnMilliPerHour, now }),
      currency: toCurrency(balanceMilli, pl.priceList),
      priceListVersion: pl.version,
    };
  }

  ledger(userId: string, page: { cursor?: string | undefined; limit?: number | undefined }): Promise<Page<ExplainedEntry>> {
    return new BillingRepo(this.store.db).ledgerPage(userId, page);
  }

  statement(userId: string, span: StatementSpan): Promise<string> {
    return statementCsv(this.store, userId, span);
  }

  usage(userId: string, span: { from: Date; to: Date; bucket: UsageBucket }): Promise<UsageSeries> {
    return usageSeries(this.store, userId, span);
  }

  grant(userId: string, amountMilli: number, note: string, idempotencyKey: string): Promise<CreditResult> {
    return grant(this.store, userId, amountMilli, note, idempotencyKey);
  }

  rebuild(): Promise<RebuiltBalance[]> {
    return rebuildBalances(this.store);
  }

  verify(): Promise<LedgerProblem[]> {
    return verifyLedger(this.store);
  }
}
