/**
 * Order statistics for latency samples. Percentiles use the nearest-rank method (the smallest
 * sample with at least p% of samples at or below it), so every reported figure is a latency that
 * was actually observed, never an interpolation between two runs.
 */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, x) => acc + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted.at(-1) as number) : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Milliseconds rounded to 0.1, so the JSON stays readable and diffable between runs. */
export function roundMs(x: number): number {
  return Math.round(x * 10) / 10;
}

export function roundSummary(s: Summary): Summary {
  return { n: s.n, p50: roundMs(s.p50), p95: roundMs(s.p95), p99: roundMs(s.p99), max: roundMs(s.max), mean: roundMs(s.mean) };
}
