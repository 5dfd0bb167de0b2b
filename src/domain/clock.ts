/**
 * Time is injected everywhere so reservations, leases and billing can be tested on a fake clock.
 * A clock also schedules: `at(when, fn)` runs fn once the clock reaches `when`. The system clock
 * uses real timers; the fake clock fires due timers when it is advanced, so a test of a week-long
 * reservation runs in milliseconds and nothing sleeps.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): Date;
  at(when: Date, fn: () => void): Timer;
}

/** Longest single setTimeout Node accepts; later deadlines are reached in hops. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  at(when, fn) {
    let handle: NodeJS.Timeout;
    const arm = () => {
      const ms = when.getTime() - Date.now();
      handle = setTimeout(ms > MAX_TIMEOUT_MS ? arm : fn, Math.max(0, Math.min(ms, MAX_TIMEOUT_MS)));
      handle.unref();
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to, firing the timers it passes, in time order. */
export class FakeClock implements Clock {
  private ms: number;
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  private seq = 0;

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  at(when: Date, fn: () => void): Timer {
    const timer = { at: when.getTime(), seq: this.seq++, fn };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward, firing every timer that falls due, each at its own time. */
  advance(ms: number): void {
    const target = this.ms + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.ms = Math.max(this.ms, due.at);
      due.fn();
    }
    this.ms = target;
  }

  set(to: Date): void {
    this.advance(Math.max(0, to.getTime() - this.ms));
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
