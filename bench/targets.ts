import type { Summary } from './stats.ts';

/**
 * The figures Fleetyard promises on a small host (see bench/README.md). A benchmark reports
 * against them; it does not fail the run when one is missed, only when the run itself could not
 * measure or left something behind.
 */
export const TARGETS = {
  requestToRunningP50Ms: 150,
  requestToRunningP99Ms: 300,
  cloneRatioMax: 2,
  /** From a host's death to every HA appliance running elsewhere, with the default lease. */
  failoverP99Ms: 15_000,
  /** Reservations whose host was not awake at their start, over the simulated week. */
  powerLateReservations: 0,
  leaks: 0,
} as const;

export type Verdict = 'PASS' | 'MISS' | 'n/a';

export function latencyVerdict(s: Summary): Verdict {
  if (s.n === 0) return 'n/a';
  return s.p50 <= TARGETS.requestToRunningP50Ms && s.p99 <= TARGETS.requestToRunningP99Ms ? 'PASS' : 'MISS';
}

export function ratioVerdict(ratio: number): Verdict {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio <= TARGETS.cloneRatioMax ? 'PASS' : 'MISS';
}
