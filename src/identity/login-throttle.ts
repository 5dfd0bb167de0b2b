import type { Clock } from '../domain/clock.ts';

/**
 * Failed logins counted per account name, on top of the per-address limit of the login route: an
 * attacker spreading guesses over many addresses still gets `maxFailures` per account per window.
 * Names that do not exist are counted the same way, so the answer never tells whether one does.
 * A success clears the account's count. In memory, per process, bounded in size: it slows
 * guessing down, it is not a record.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly clock: Clock,
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
    private readonly maxAccounts = 10_000,
  ) {}

  /** Whether another attempt for `name` is allowed now. */
  allows(name: string): boolean {
    const f = this.current(name);
    return f === undefined || f.count < this.maxFailures;
  }

  failed(name: string): void {
    const f = this.current(name) ?? { count: 0, since: this.clock.now().getTime() };
    f.count++;
    this.failures.delete(name);
    this.failures.set(name, f);
    if (this.failures.size > this.maxAccounts) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(name: string): void {
    this.failures.delete(name);
  }

  private current(name: string): { count: number; since: number } | undefined {
    const f = this.failures.get(name);
    if (f && this.clock.now().getTime() - f.since >= this.windowMs) {
      this.failures.delete(name);
      return undefined;
    }
    return f;
  }
}
