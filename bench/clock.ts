/**
 * One time base for every timestamp the benchmark compares: milliseconds since the Unix epoch
 * with sub-millisecond precision (performance.timeOrigin + performance.now()). The client side,
 * the timed driver and the store's event times (epoch ms, from the ISO `time` field) can then be
 * subtracted from each other to split a latency into phases.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
