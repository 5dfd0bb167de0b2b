/**
 * How much a meter owes for a stretch of time. Pure integer arithmetic, shared by posting, the
 * ledger check and the forecast so that all three agree to the milli-CCU.
 *
 * Both seconds and money are counted cumulatively from the meter's start and then differenced:
 * a period [a, b) gets `elapsed(b) - elapsed(a)` seconds and `owed(elapsed(b)) - owed(elapsed(a))`
 * milli-CCU, where `elapsed(t)` is the whole seconds since the start and `owed(s)` is
 * `floor(rate × s / 3600)`. The periods of a meter therefore add up exactly to the seconds it ran
 * and to `floor(rate × total seconds / 3600)`: nothing is lost or charged twice at a window
 * boundary, however the time is cut, and the only rounding is one final fraction of a milli-CCU
 * (at most 0.001 CCU per meter) in the user's favour.
 */
export interface Charge {
  seconds: number;
  amountMilli: number;
}

/** Whole seconds from `startMs` to `atMs` (never negative). */
export function elapsedSeconds(startMs: number, atMs: number): number {
  return Math.max(0, Math.floor((atMs - startMs) / 1000));
}

/** milli-CCU owed for the first `seconds` of a meter at `ccuPerHourMilli`, rounded down. */
export function owedAfter(ccuPerHourMilli: number, seconds: number): number {
  return Number((BigInt(ccuPerHourMilli) * BigInt(seconds)) / 3600n);
}

/** The charge of the period [from, to) of a meter that started at `startedAt`. */
export function chargeBetween(meter: { ccuPerHourMilli: number; startedAt: string }, from: Date, to: Date): Charge {
  const start = Date.parse(meter.startedAt);
  const a = elapsedSeconds(start, from.getTime());
  const b = elapsedSeconds(start, to.getTime());
  return { seconds: b - a, amountMilli: owedAfter(meter.ccuPerHourMilli, b) - owedAfter(meter.ccuPerHourMilli, a) };
}
