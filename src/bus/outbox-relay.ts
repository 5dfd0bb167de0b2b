import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';
import type { Bus } from './bus.ts';

/**
 * Moves committed events from the outbox to the bus, in order, then marks them published. A crash
 * after publishing and before marking publishes them again on restart: delivery is at-least-once
 * and the bus de-duplicates by event id. Woken by `kick()` after each commit; a slow timer is only
 * a safety net for a kick lost to a crash, never the main path.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly onError: (e: unknown) => void = () => undefined,
    private readonly safetyNetMs = 2_000,
  ) {}

  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.safetyNetMs);
    this.timer.unref();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes everything pending; resolves when the outbox is empty. */
  async flush(): Promise<void> {
    await this.running;
    await this.drain();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.store.read.events.unpublished(200);
      if (batch.length === 0) return;
      for (const e of batch) await this.bus.publish(e);
      await this.store.read.events.markPublished(
        batch.map((e) => e.seq),
        this.clock.now(),
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
