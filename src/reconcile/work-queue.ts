/**
 * A de-duplicating work queue keyed by object id, after client-go's: a key waiting in the queue is
 * held once however often it is added; a key being processed that is added again is processed
 * once more after the current run (never twice at the same time).
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  add(key: string): void {
    if (this.closed) return;
    const timer = this.delayed.get(key);
    if (timer) {
      clearTimeout(timer);
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.waiters.shift()?.();
  }

  /** Adds `key` after `ms`, unless it is added sooner (the sooner one wins). */
  addAfter(key: string, ms: number): void {
    if (this.closed || this.delayed.has(key)) return;
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, timer);
  }

  /** Waits for the next key; undefined once the queue is closed. */
  async take(): Promise<string | undefined> {
    while (!this.closed) {
      const key = this.queue.shift();
      if (key !== undefined) {
        this.queued.delete(key);
        this.processing.add(key);
        return key;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return undefined;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Nothing queued and nothing being processed (delayed retries do not count). */
  isIdle(): boolean {
    return this.queue.length === 0 && this.processing.size === 0;
  }

  pendingRetries(): number {
    return this.delayed.size;
  }

  whenIdle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    for (const t of this.delayed.values()) clearTimeout(t);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w();
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
