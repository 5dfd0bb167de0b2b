import { mkdir } from 'node:fs/promises';
import { measureClones } from './clone-time.ts';
import { BenchFleet } from './fleet.ts';
import { runLifecycles, type LifecycleRow } from './lifecycle.ts';
import { describeMachine, loadAverage } from './machine.ts';
import { writeResult, type BenchResult } from './result.ts';
import { installSpawnTrace } from './spawn-trace.ts';
import { renderTable } from './table.ts';
import { TARGETS } from './targets.ts';

/**
 * `npm run bench`: request→running, clone and release latencies of a real control plane with the
 * real container driver, on this machine. See bench/README.md for what each figure means.
 *
 * Bounded everywhere: BENCH_APPLIANCES lifecycles per row (default 100), a 30 s wait per event,
 * and an overall deadline after which no new work starts and pending waits are cancelled.
 * Teardown runs whatever happened, and the exit status is non-zero if anything could not be
 * measured, leaked, or was left on the host.
 */
const COUNT = positiveInt(process.env.BENCH_APPLIANCES, 100);
const CONCURRENCY = positiveInt(process.env.BENCH_CONCURRENCY, 10);
const WARMUP = 2;
const DEADLINE_MS = 10 * 60_000;

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(new Error(`overall deadline of ${DEADLINE_MS / 60_000} min reached`)), DEADLINE_MS);
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    // The first Ctrl-C stops the run and lets teardown finish; a second one gives up on teardown.
    if (++interrupts > 1) process.exit(130);
    console.error(`bench: ${sig}, stopping and cleaning up (again to abandon cleanup)`);
    stop.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  installSpawnTrace();
  const fleet = new BenchFleet();
  const errors: string[] = [];
  const lifecycles: LifecycleRow[] = [];
  let warmup: LifecycleRow | undefined;
  const result: BenchResult = {
    startedAt,
    finishedAt: '',
    ok: false,
    targets: TARGETS,
    machine: undefined,
    loadAverageAtEnd: [],
    network: undefined,
    lifecycles,
    clone: undefined,
    leaks: { checked: 0, count: 0, list: [] },
    cleanup: { errors: [], residue: [] },
    eventCounts: {},
    errors,
  };
  const released: string[] = [];
  const row = async (label: string, prefix: string, count: number, concurrency: number) => {
    const r = await runLifecycles(fleet, { label, namePrefix: prefix, imageId: fleet.baseImageId, count, concurrency, signal: stop.signal });
    released.push(...r.ids);
    return r;
  };
  try {
    await fleet.makeTmpDir();
    await mkdir(fleet.dataDir, { recursive: true });
    result.machine = await describeMachine(fleet.dataDir);
    await fleet.start();
    result.network = fleet.net;
    stop.signal.addEventListener('abort', () => fleet.events.cancelAll(String(stop.signal.reason)));
    // The first start on a fresh bridge pays for creating it; keep that out of the figures.
    warmup = await row('warm-up', 'bench-warm', WARMUP, 1);
    lifecycles.push(await row('sequential', 'bench-seq', COUNT, 1));
    lifecycles.push(await row(`concurrency ${CONCURRENCY}`, 'bench-par', COUNT, CONCURRENCY));
    result.clone = await measureClones(fleet, stop.signal);
    for (const img of result.clone.images) released.push(...img.lifecycle.ids);
    const leaks = await fleet.leaks(released);
    result.leaks = { checked: released.length, count: leaks.length, list: leaks };
    if (stop.signal.aborted) errors.push(String(stop.signal.reason));
  } catch (e) {
    errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
  } finally {
    clearTimeout(deadline);
    result.loadAverageAtEnd = loadAverage();
    result.eventCounts = fleet.events ? Object.fromEntries(fleet.events.typeCounts) : {};
    result.cleanup = await fleet.close();
  }

  const rows = [...lifecycles, ...(result.clone?.images.map((i) => i.lifecycle) ?? [])];
  for (const r of [warmup, ...rows]) for (const e of r?.errors ?? []) errors.push(`${r?.label} #${e.index}: ${e.message}`);
  result.finishedAt = new Date().toISOString();
  result.ok =
    errors.length === 0 &&
    lifecycles.length === 2 &&
    result.clone?.images.length === 2 &&
    result.leaks.count === 0 &&
    result.cleanup.errors.length === 0 &&
    result.cleanup.residue.length === 0;

  console.log(renderTable(result));
  const path = await writeResult({ ...result, warmup });
  console.log(`results: ${path}`);
  for (const e of [...errors, ...result.cleanup.errors]) console.error(`bench: error: ${e}`);
  for (const r of result.cleanup.residue) console.error(`bench: left on the host: ${r}`);
  for (const l of result.leaks.list) console.error(`bench: leak: ${l}`);
  console.log(result.ok ? 'bench: completed' : 'bench: FAILED (see errors above)');
  return result.ok ? 0 : 1;
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : fallback;
}

process.exitCode = await main();
