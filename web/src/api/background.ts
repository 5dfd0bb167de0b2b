/**
 * Starts work nobody waits for (a cache refresh, a stream loop) and reports a failure instead of
 * leaving an unhandled rejection. Query invalidations resolve even when their refetch fails (the
 * query shows its error), so for them this never reports anything.
 */
export function inBackground(work: Promise<unknown>, what: string): void {
  work.catch((e: unknown) => console.warn(`${what} failed`, e));
}
