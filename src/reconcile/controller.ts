import { systemClock, type Clock, type Timer } from '../domain/clock.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * A level-based controller. The request carries only an id; the reconciler re-reads desired and
 * observed state and converges them, so any number of triggers for one id collapse into one run,
 * and a crash at any point is healed by running again. Errors requeue with exponential backoff;
 * a TerminalError does not (the reconciler has already recorded why in the object's status).
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
  constructor(message: string) {
    super(message);
    this.name = 'TerminalError';
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
    this.queue.add(id);
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.work());
  }

  /** Resolves when nothing is queued or running (retries waiting on a timer excepted). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  async stop(): Promise<void> {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
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

  private backoff(id: string): number {
    const n = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, n);
    return Math.min(this.baseDelayMs * 2 ** (n - 1), this.maxDelayMs);
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
        } else {
          this.queue.addAfter(id, this.backoff(id));
        }
        this.opts.onError?.(this.reconciler.kind, id, e);
      } finally {
        this.queue.done(id);
      }
    }
  }
}
