/**
 * How often and how long a mail is retried. Every send failure is retried, 5xx answers included:
 * a rejected login or relay is usually the configuration, which an admin fixes, and a rejected
 * recipient costs only the few attempts before the mail is given up on as `failed`. No jitter:
 * there is one sender per control plane and few mails.
 */
export interface RetryPolicy {
  /** Wait after the first failed attempt; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included; after the last one fails the mail is `failed`. */
  maxAttempts: number;
}

/** 30 s, 1 min, 2 min … capped at 1 h: ten attempts span about three hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 10 };

/** The wait after `attempts` failed attempts, or undefined when the mail is to be given up on. */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempts - 1));
}
