/**
 * When a user's credit runs out at the current burn rate. Pure: the caller passes the posted
 * balance, what the open meters have run up since their last posting, and their summed price.
 * Not a promise (prices, meters and grants change), only the straight line from now.
 */
export interface ForecastInput {
  balanceMilli: number;
  /** Charges accrued but not yet posted; they will be debited at the next posting run. */
  unpostedMilli: number;
  burnMilliPerHour: number;
  now: Date;
}

const MAX_DATE_MS = 8.64e15;

/** The moment the credit reaches zero; `now` if it already has; null if nothing is burning. */
export function creditsLastUntil(f: ForecastInput): Date | null {
  const left = f.balanceMilli - f.unpostedMilli;
  if (left <= 0) return f.now;
  if (f.burnMilliPerHour <= 0) return null;
  const ms = Number((BigInt(left) * 3_600_000n) / BigInt(f.burnMilliPerHour));
  const at = f.now.getTime() + ms;
  // Beyond what a Date can hold (hundreds of millennia): as good as never.
  return at > MAX_DATE_MS ? null : new Date(at);
}
