import type { Appliance, ApplianceRetry } from '../domain/appliance.ts';
import { FleetyardError } from '../domain/errors.ts';
import { TerminalError } from './controller.ts';

/**
 * How the appliance reconciler backs off a failing appliance. The record lives in the
 * appliance's status (see ApplianceRetry), so it holds across restarts and whatever wakes the
 * reconciler — its own failure events included — cannot bring the next attempt forward.
 */
export interface RetryPolicy {
  /** Delay after the first failure; each further failure doubles it. */
  baseMs: number;
  /** The longest delay between attempts. */
  maxMs: number;
  /** The longest delay while the host's agent does not answer: hosts come back quickly. */
  unreachableMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, unreachableMaxMs: 10_000 };

/** The record applies to the spec the appliance has now (same generation, same deletion state). */
function current(a: Appliance): ApplianceRetry | null {
  const r = a.status.retry;
  if (!r || r.generation !== a.generation || r.deleting !== (a.deletionRequestedAt !== null)) return null;
  return r;
}

/**
 * A failure that nothing but a new spec can mend (a move whose rollback failed): the appliance
 * stays as it is, whatever wakes the reconciler, until someone asks for something new.
 */
export function isParked(a: Appliance): boolean {
  const r = current(a);
  return r !== null && r.nextAttemptAt === null && r.waitingFor === null;
}

/** When the next attempt is due, if that is still in the future; null: act now. */
export function retryDue(a: Appliance, now: Date): Date | null {
  const r = current(a);
  if (!r?.nextAttemptAt) return null;
  const at = new Date(r.nextAttemptAt);
  return at > now ? at : null;
}

export const isUnreachable = (e: unknown): boolean => e instanceof FleetyardError && e.code === 'FY_AGENT_UNREACHABLE';

/**
 * The record after one more failure. A failure that waits for another object repeats its record
 * unchanged while the error is the same, so re-checking it writes nothing and wakes nobody.
 */
export function recordFailure(a: Appliance, e: unknown, now: Date, policy: RetryPolicy): ApplianceRetry {
  const prev = current(a);
  const lastError = e instanceof Error ? e.message : String(e);
  const base = { generation: a.generation, deleting: a.deletionRequestedAt !== null, lastError };
  if (e instanceof TerminalError) {
    const same = prev !== null && prev.lastError === lastError && prev.nextAttemptAt === null;
    return { ...base, attempts: same ? prev.attempts : (prev?.attempts ?? 0) + 1, nextAttemptAt: null, waitingFor: e.waitingFor };
  }
  const attempts = (prev?.attempts ?? 0) + 1;
  const cap = isUnreachable(e) ? policy.unreachableMaxMs : policy.maxMs;
  const delay = Math.min(policy.baseMs * 2 ** Math.min(attempts - 1, 30), cap);
  return { ...base, attempts, nextAttemptAt: new Date(now.getTime() + delay).toISOString(), waitingFor: null };
}
