import type { Store } from '../store/store.ts';
import { toleratesAnySingleFailure, type Tolerance } from './failover-plan.ts';
import { readFleetSnapshot } from './fleet-snapshot.ts';

/**
 * The continuous N+1 check: recomputes the fleet's tolerance of any single host failure soon
 * after resources or appliances change (`kick()`, debounced: a burst of changes makes one pass)
 * and every `intervalMs` (a lease running out changes the fleet without an event), and writes
 * `ha.tolerance-lost` or `ha.tolerance-restored` when the answer changes. What it said last is
 * read back from the event log at start, so a restart repeats nothing.
 *
 * The debounce and the interval are real timers: they pace work, they decide nothing in time.
 */
export const TOLERANCE_EVENTS = ['ha.tolerance-lost', 'ha.tolerance-restored'] as const;

export interface AdmissionCheckOptions {
  cpuAllocationRatio: number;
  debounceMs?: number;
  intervalMs?: number;
  log: (msg: string, err?: unknown) => void;
}

export class HaAdmissionCheck {
  private latest: Tolerance | undefined;
  /** What the log says the fleet did last: undefined until read, null when it never said. */
  private recorded: boolean | null | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<Tolerance> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly opts: AdmissionCheckOptions,
  ) {}

  start(): void {
    this.interval = setInterval(() => this.kick(0), this.opts.intervalMs ?? 30_000);
    this.interval.unref();
    this.kick(0);
  }

  /** Recomputes shortly; calls in quick succession make one pass. */
  kick(delayMs = this.opts.debounceMs ?? 500): void {
    if (this.stopped || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.refresh().catch((e: unknown) => this.opts.log('the N+1 check failed (the next pass tries again)', e));
    }, delayMs);
    this.kickTimer.unref();
  }

  /** The last answer, or a fresh one when there is none yet. */
  async current(): Promise<Tolerance> {
    return this.latest ?? this.refresh();
  }

  /** One pass; a pass asked for during a pass follows it, and both callers get the later answer. */
  refresh(): Promise<Tolerance> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let t: Tolerance;
      do {
        this.again = false;
        t = toleratesAnySingleFailure(await readFleetSnapshot(this.store.read, this.store.clock.now(), this.opts.cpuAllocationRatio));
        this.latest = t;
        if (!this.stopped) await this.record(t);
      } while (this.again && !this.stopped);
      return t;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async record(t: Tolerance): Promise<void> {
    if (this.recorded === undefined) {
      const last = await this.store.read.events.latest(TOLERANCE_EVENTS);
      this.recorded = last ? last.type === 'ha.tolerance-restored' : null;
    }
    // A fleet that never lost N+1 has nothing to restore.
    if (t.tolerates === (this.recorded ?? true)) return;
    await this.store.transaction(async (tx) => {
      if (t.tolerates) {
        await tx.emit({
          type: 'ha.tolerance-restored',
          kind: 'ha',
          objectId: 'fleet',
          message: `the fleet tolerates the failure of any one host again (${t.haAppliances} HA appliances)`,
          data: { haAppliances: t.haAppliances },
        });
        return;
      }
      const worst = t.worst;
      const first = worst?.restarts.find((r) => !r.fits);
      const host = worst?.failed[0];
      if (!worst || !first || !host) return;
      await tx.emit({
        type: 'ha.tolerance-lost',
        kind: 'ha',
        objectId: 'fleet',
        message: `the fleet no longer tolerates the failure of any one host: if ${host.name} failed, ${worst.unplaced} HA appliance(s) could not restart (${first.name}: ${first.reason})`,
        data: { haAppliances: t.haAppliances, hostId: host.id, unplaced: worst.unplaced, reason: `${first.name}: ${first.reason}` },
      });
    });
    this.recorded = t.tolerates;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.kickTimer);
    await this.running?.catch(() => undefined);
  }
}
