/**
 * Runs `count` tasks with at most `concurrency` in flight, stopping to hand out new ones once
 * `signal` aborts (deadline or Ctrl-C). A failed task is recorded and does not stop the others:
 * one slow appliance should cost one sample, not the whole run.
 */
export interface PoolOutcome<T> {
  results: T[];
  errors: Array<{ index: number; message: string }>;
}

export async function runPool<T>(
  count: number,
  concurrency: number,
  signal: AbortSignal,
  task: (index: number) => Promise<T>,
): Promise<PoolOutcome<T>> {
  const out: PoolOutcome<T> = { results: [], errors: [] };
  let next = 0;
  const worker = async () => {
    while (next < count && !signal.aborted) {
      const index = next++;
      try {
        out.results.push(await task(index));
      } catch (e) {
        out.errors.push({ index, message: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
