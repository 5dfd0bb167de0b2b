/**
 * Which stretch of a meter's time is posted next. Windows are `postingPeriodSeconds` long and
 * aligned to the Unix epoch, so every meter is cut at the same instants and one posting run at a
 * window boundary finds all of them due.
 *
 * The next period starts where the last one ended (`postedUntil`) and runs to the end of its
 * window, or to the meter's stop if that comes first. An open meter's current window is not
 * posted until it has ended; a stopped meter's last, partial window is posted by the first run
 * after the stop (closing a meter posts nothing by itself). Periods of one meter therefore never
 * overlap and leave no gap, and each has a distinct start, which is what its idempotency key is
 * made of.
 */
export interface Period {
  start: Date;
  end: Date;
}

/** Start of the window that contains `t`. */
export function windowStart(t: Date, periodSeconds: number): Date {
  const p = periodSeconds * 1000;
  return new Date(Math.floor(t.getTime() / p) * p);
}

/** The first window boundary strictly after `t`: when the next posting run is due. */
export function nextBoundary(t: Date, periodSeconds: number): Date {
  return new Date(windowStart(t, periodSeconds).getTime() + periodSeconds * 1000);
}

/** The next period to post for the meter as of `now`, or null when nothing is due yet. */
export function nextPeriod(meter: { postedUntil: string; stoppedAt: string | null }, periodSeconds: number, now: Date): Period | null {
  const from = new Date(meter.postedUntil);
  const windowEnd = nextBoundary(from, periodSeconds);
  const stop = meter.stoppedAt === null ? null : new Date(meter.stoppedAt);
  const end = stop !== null && stop < windowEnd ? stop : windowEnd;
  if (end <= from || end > now) return null;
  return { start: from, end };
}
