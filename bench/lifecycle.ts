import { measureCpu, type CpuUse } from './cpu.ts';
import type { BenchFleet } from './fleet.ts';
import { waitForInitReady } from './init-ready.ts';
import { runPool } from './pool.ts';
import { requestToRunning } from './request-to-running.ts';
import { roundSummary, summarize, type Summary } from './stats.ts';
import { recordSpawns, type CommandStats } from './spawn-trace.ts';
import { stopAndRelease } from './stop-release.ts';

/**
 * One row set of the benchmark: `count` appliances, each created, awaited running, stopped and
 * deleted, with at most `concurrency` lifecycles in flight. Each appliance is released before
 * its worker takes the next one, so the number alive stays bounded by `concurrency` and the
 * host's slot capacity (cores × the allocation ratio) is never the bottleneck being measured.
 */
export interface LifecycleRow {
  label: string;
  count: number;
  concurrency: number;
  wallMs: number;
  requestToRunning: Summary;
  /** Off the clock: `running` → the init's "up" line, polled (see init-ready.ts). */
  initReady: Summary;
  stopToStopped: Summary;
  deleteToDeleted: Summary;
  /** Summary per phase of each latency, in ms (see request-to-running.ts and stop-release.ts). */
  breakdown: { running: Record<string, Summary>; stop: Record<string, Summary>; delete: Record<string, Summary> };
  /** Host commands run during the row (all lifecycles, start to delete), by kind. */
  hostCommands: Record<string, CommandStats>;
  cpu: CpuUse;
  ids: string[];
  errors: Array<{ index: number; message: string }>;
}

export async function runLifecycles(
  fleet: BenchFleet,
  opts: { label: string; namePrefix: string; imageId: string; count: number; concurrency: number; signal: AbortSignal },
): Promise<LifecycleRow> {
  const t0 = performance.now();
  const cpu = measureCpu();
  const spawns = recordSpawns();
  const { results, errors } = await runPool(opts.count, opts.concurrency, opts.signal, async (i) => {
    const run = await requestToRunning(fleet, `${opts.namePrefix}-${String(i).padStart(3, '0')}`, opts.imageId);
    const initReadyMs = await waitForInitReady(fleet, run.id, run.runningAtMs);
    const release = await stopAndRelease(fleet, run.id);
    return { run, initReadyMs, release };
  });
  const hostCommands = spawns();
  const cpuUse = cpu();
  return {
    label: opts.label,
    count: opts.count,
    concurrency: opts.concurrency,
    wallMs: performance.now() - t0,
    requestToRunning: roundSummary(summarize(results.map((r) => r.run.totalMs))),
    initReady: roundSummary(summarize(results.map((r) => r.initReadyMs))),
    stopToStopped: roundSummary(summarize(results.map((r) => r.release.stopMs))),
    deleteToDeleted: roundSummary(summarize(results.map((r) => r.release.deleteMs))),
    breakdown: {
      running: summarizePhases(results.map((r) => r.run.phases)),
      stop: summarizePhases(results.map((r) => r.release.stopPhases)),
      delete: summarizePhases(results.map((r) => r.release.deletePhases)),
    },
    hostCommands,
    cpu: cpuUse,
    ids: results.map((r) => r.run.id),
    errors,
  };
}

function summarizePhases(samples: Array<Record<string, number>>): Record<string, Summary> {
  const byPhase = new Map<string, number[]>();
  for (const s of samples) for (const [k, v] of Object.entries(s)) byPhase.set(k, [...(byPhase.get(k) ?? []), v]);
  return Object.fromEntries([...byPhase].map(([k, v]) => [k, roundSummary(summarize(v))]));
}
