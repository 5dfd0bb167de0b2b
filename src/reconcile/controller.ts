import { systemClock, type Clock, type Timer } from '../domain/clock.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * A level-based controller. The request carries only an id; the reconciler re-reads desired and
 * observed state and converges them, so any number of triggers for one id collapse into one run,
 * and a crash at any point is healed by running again.
 *
 * Failures:
 * - an error requeues with exponential backoff, and while that backoff runs, triggers for the id
 *   (events, often written by the failed run itself) wait for it instead of running at once, so a
 *   failure can never become a hot loop;
 * - a RetryAt error is a failure the reconciler has recorded in the object's status together with
 *   when to try again; it is woken then, on the injected clock, and triggers still run at once:
 *   the reconciler reads its own record and knows whether a new spec makes it try sooner;
 * - a TerminalError is not retried (the reconciler has already recorded why in the status).
 */
export interface ReconcileResult {
  /** Run again after this long even if nothing changes (e.g. waiting for capacity). */
  requeueAfterMs?: number;
  /**
   * Run again when the injected clock reaches this time (a start time, an end time, a billing
   * period). Scheduled on the clock, so a fake clock fires it when a test advances time.
   */
  requeueAt?: Date;
}

export interface Reconciler {
  readonly kind: string;
  reconcile(id: string): Promise<ReconcileResult | void>;
}

export class TerminalError extends Error {
  /** The kind of object whose arrival or change would make trying again worthwhile, if any. */
  readonly waitingFor: 'kernel' | 'resource' | null;

  constructor(message: string, opts: { waitingFor?: 'kernel' | 'resource' } = {}) {
    super(message);
    this.name = 'TerminalError';
    this.waitingFor = opts.waitingFor ?? null;
  }
}

/** A failure already recorded in the object's status, with the time of the next attempt. */
export class RetryAt extends Error {
  constructor(
    readonly at: Date,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'RetryAt';
  }
}

export interface ControllerOptions {
  concurrency?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?: (kind: string, id: string, e: unknown) => void;
  clock?: Clock;
}

export class Controller {
  private readonly queue = new WorkQueue();
  private readonly failures = new Map<string, number>();
  private workers: Promise<void>[] = [];
  private readonly concurrency: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly clock: Clock;
  private readonly timers = new Map<string, Timer>();
  /** Ids whose failure backoff is running; triggers for them wait for it. */
  private readonly backingOff = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly reconciler: Reconciler,
    private readonly opts: ControllerOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 8;
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.clock = opts.clock ?? systemClock;
  }

  get kind(): string {
    return this.reconciler.kind;
  }

  enqueue(id: string): void {
    if (this.backingOff.has(id)) return; // the backoff's timer adds it when it ends
    this.queue.add(id);
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.work());
  }

  /** Ids waiting out a failure backoff (they run again when it ends). */
  backingOffCount(): number {
    return this.backingOff.size;
  }

  /** Resolves when nothing is queued or running (retries waiting on a timer excepted). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  async stop(): Promise<void> {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const t of this.backingOff.values()) clearTimeout(t);
    this.backingOff.clear();
    this.queue.close();
    await Promise.all(this.workers);
    this.workers = [];
  }

  /** One wake-up per id: a newer answer replaces the older one. */
  private wakeAt(id: string, when: Date): void {
    this.timers.get(id)?.cancel();
    this.timers.set(
      id,
      this.clock.at(when, () => {
        this.timers.delete(id);
        this.queue.add(id);
      }),
    );
  }

  private backOff(id: string): void {
    const n = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, n);
    const delay = Math.min(this.baseDelayMs * 2 ** (n - 1), this.maxDelayMs);
    clearTimeout(this.backingOff.get(id));
    const timer = setTimeout(() => {
      this.backingOff.delete(id);
      this.queue.add(id);
    }, delay);
    timer.unref();
    this.backingOff.set(id, timer);
  }

  private async work(): Promise<void> {
    for (;;) {
      const id = await this.queue.take();
      if (id === undefined) return;
      try {
        const result = await this.reconciler.reconcile(id);
        this.failures.delete(id);
        if (result?.requeueAfterMs !== undefined) this.queue.addAfter(id, result.requeueAfterMs);
        if (result?.requeueAt) this.wakeAt(id, result.requeueAt);
      } catch (e) {
        if (e instanceof TerminalError) {
          this.failures.delete(id);
        } else if (e instanceof RetryAt) {
          this.failures.delete(id);
          this.wakeAt(id, e.at);
        } else {
          this.backOff(id);
        }
        this.opts.onError?.(this.reconciler.kind, id, e instanceof RetryAt ? e.cause : e);
      } finally {
        this.queue.done(id);
      }
    }
  }
}
