/**
 * The agent's side of its host's lease, watchdog style. Every heartbeat the control plane answers
 * renews the lease from the moment the heartbeat was *sent*, which is never later than the moment
 * the control plane received it; so when the agent counts its lease out, the control plane's count
 * is still running. When no answer has come for `selfFenceAt` of the lease (60 %), the agent stops
 * its HA appliances itself, before the control plane can declare the host failed and restart them
 * elsewhere: a partitioned host never runs an appliance that runs somewhere else.
 *
 * While the lease is lapsed the agent starts nothing. When answers come back and the epoch is the
 * same (the host was not fenced), the appliances it stopped are reported, so the control plane
 * starts them again where they were.
 */
export const SELF_FENCE_FRACTION = 0.6;

export interface LeaseWatchdogOptions {
  now: () => number;
  /** Stops the HA appliances the agent runs; called once per lapse. */
  selfFence: () => Promise<void>;
  /** The lease is renewed again after a lapse, at the same epoch. */
  resumed: () => void;
  log: (msg: string, err?: unknown) => void;
}

export class LeaseWatchdog {
  private durationMs = 0;
  private renewedAt: number | null = null;
  private lapsed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LeaseWatchdogOptions) {}

  /** Whether the agent may start appliances now: it holds its lease. */
  get holdsLease(): boolean {
    return !this.lapsed;
  }

  /** A heartbeat sent at `sentAt` was answered with a lease of `durationMs`. */
  renewed(sentAt: number, durationMs: number): void {
    this.durationMs = durationMs;
    if (this.renewedAt === null || sentAt > this.renewedAt) this.renewedAt = sentAt;
    if (this.lapsed && this.opts.now() - this.renewedAt < durationMs * SELF_FENCE_FRACTION) {
      this.lapsed = false;
      this.opts.log('the lease is renewed again; the HA appliances stopped meanwhile will be started again');
      this.opts.resumed();
    }
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.renewedAt === null || this.lapsed) return;
    const due = this.renewedAt + this.durationMs * SELF_FENCE_FRACTION - this.opts.now();
    this.timer = setTimeout(() => this.check(), Math.max(0, due));
    this.timer.unref();
  }

  private check(): void {
    if (this.renewedAt === null || this.lapsed) return;
    const age = this.opts.now() - this.renewedAt;
    if (age < this.durationMs * SELF_FENCE_FRACTION) return this.arm();
    this.lapsed = true;
    this.opts.log(`no lease renewal for ${age} ms of a ${this.durationMs} ms lease: stopping this host's HA appliances`);
    this.opts.selfFence().catch((e: unknown) => this.opts.log('self-fencing failed', e));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
