import { mkdir } from 'node:fs/promises';
import type { Accel } from '../src/drivers/qemu/accel.ts';
import { measureClones } from './clone-time.ts';
import { BenchFleet } from './fleet.ts';
import { runLifecycles, type LifecycleRow } from './lifecycle.ts';
import { describeMachine, loadAverage } from './machine.ts';
import { deadlineMs, PARTS, selectedParts, type Part } from './parts.ts';
import { measurePxeBoot, PXE_SAMPLES } from './pxe-boot.ts';
import { measureQemuConsole, VM_SAMPLES } from './qemu-console.ts';
import { writeResult, type BenchResult } from './result.ts';
import { installSpawnTrace } from './spawn-trace.ts';
import { failoverLines, renderTable } from './table.ts';
import { TARGETS } from './targets.ts';
import { measureVmClones } from './vm-clone-time.ts';
import { FAILOVER_DRIVERS, FAILOVER_RUNS, FAILOVER_SIZES, measureFailover } from './failover.ts';
import { measureCheckScheduling } from './check-scheduling.ts';
import { simulatePowerWeek } from './power-week.ts';

/**
 * `npm run bench`: request→running, clone and release latencies of a real control plane with the
 * real container driver, the qemu driver's disk clone and a VM's boot to its console marker, and
 * a PXE boot of simulated bare metal, on this machine. `--only a,b` runs some parts (parts.ts).
 * See bench/README.md for what each figure means.
 *
 * Bounded everywhere: BENCH_APPLIANCES lifecycles per row (default 100), a fixed number of VMs and
 * boots, a wait limit per event, and an overall deadline (the selected parts' budgets added up)
 * after which no new work starts and pending waits are cancelled. Teardown runs whatever
 * happened, and the exit status is non-zero if anything could not be measured, leaked, or was
 * left on the host.
 */
const COUNT = positiveInt(process.env.BENCH_APPLIANCES, 100);
const CONCURRENCY = positiveInt(process.env.BENCH_CONCURRENCY, 10);
const WARMUP = 2;
const QEMU_ACCEL = accelOption(process.env.BENCH_QEMU_ACCEL);

async function main(): Promise<number> {
  let parts: Part[];
  try {
    parts = selectedParts(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const want = (p: Part) => parts.includes(p);
  const startedAt = new Date().toISOString();
  const stop = new AbortController();
  const deadline = deadlineMs(parts);
  const timer = setTimeout(() => stop.abort(new Error(`overall deadline of ${deadline / 60_000} min reached`)), deadline);
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    // The first Ctrl-C stops the run and lets teardown finish; a second one gives up on teardown.
    if (++interrupts > 1) process.exit(130);
    console.error(`bench: ${sig}, stopping and cleaning up (again to abandon cleanup)`);
    stop.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  console.log(`bench: parts ${parts.join(', ')}; overall deadline ${deadline / 60_000} min`);

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
    parts,
    machine: undefined,
    loadAverageAtEnd: [],
    network: undefined,
    lifecycles,
    clone: undefined,
    vmClone: undefined,
    qemuConsole: undefined,
    pxe: undefined,
    failover: undefined,
    checks: undefined,
    power: undefined,
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
  const usesFleet = want('container') || want('clone');
  try {
    await fleet.makeTmpDir();
    await mkdir(fleet.dataDir, { recursive: true });
    result.machine = await describeMachine(fleet.dataDir);
    if (usesFleet) {
      await fleet.start();
      result.network = fleet.net;
      stop.signal.addEventListener('abort', () => fleet.events.cancelAll(String(stop.signal.reason)));
    }
    if (want('container')) {
      // The first start on a fresh bridge pays for creating it; keep that out of the figures.
      warmup = await row('warm-up', 'bench-warm', WARMUP, 1);
      lifecycles.push(await row('sequential', 'bench-seq', COUNT, 1));
      lifecycles.push(await row(`concurrency ${CONCURRENCY}`, 'bench-par', COUNT, CONCURRENCY));
    }
    if (want('clone')) {
      result.clone = await measureClones(fleet, stop.signal);
      for (const img of result.clone.images) released.push(...img.lifecycle.ids);
    }
    if (usesFleet) {
      const leaks = await fleet.leaks(released);
      result.leaks = { checked: released.length, count: leaks.length, list: leaks };
    }
  } catch (e) {
    errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
  } finally {
    result.eventCounts = fleet.events ? Object.fromEntries(fleet.events.typeCounts) : {};
    result.cleanup = await fleet.close();
  }
  // Each of these owns and tears down everything it makes, whatever happens inside it.
  if (want('vm-clone') && !stop.signal.aborted) result.vmClone = await measureVmClones(stop.signal);
  if (want('qemu-console') && !stop.signal.aborted) result.qemuConsole = await measureQemuConsole(stop.signal, QEMU_ACCEL);
  if (want('pxe') && !stop.signal.aborted) result.pxe = await measurePxeBoot(stop.signal);
  if (want('checks') && !stop.signal.aborted) result.checks = await measureCheckScheduling(stop.signal);
  if (want('failover') && !stop.signal.aborted) result.failover = await measureFailover(stop.signal);
  if (want('power') && !stop.signal.aborted) result.power = simulatePowerWeek(stop.signal);
  clearTimeout(timer);
  if (stop.signal.aborted) errors.push(String(stop.signal.reason));
  result.loadAverageAtEnd = loadAverage();

  const vm = result.qemuConsole;
  if (vm) {
    result.leaks.checked += vm.samples.length + vm.warmup.length;
    result.leaks.count += vm.leaks.length;
    result.leaks.list.push(...vm.leaks);
    errors.push(...vm.errors);
    result.cleanup.errors.push(...vm.cleanup.errors);
    result.cleanup.residue.push(...vm.cleanup.residue);
  }
  for (const f of result.failover ?? []) {
    errors.push(...f.errors);
    result.cleanup.residue.push(...f.residue);
  }
  errors.push(...(result.checks?.errors ?? []));
  for (const r of [result.vmClone, result.pxe]) {
    errors.push(...(r?.errors ?? []));
    result.cleanup.residue.push(...(r?.residue ?? []));
  }
  const rows = [...lifecycles, ...(result.clone?.images.map((i) => i.lifecycle) ?? [])];
  for (const r of [warmup, ...rows]) for (const e of r?.errors ?? []) errors.push(`${r?.label} #${e.index}: ${e.message}`);
  const measured: Record<Part, boolean> = {
    container: lifecycles.length === 2,
    clone: result.clone?.images.length === 2,
    'vm-clone': result.vmClone?.images.length === 2 && Number.isFinite(result.vmClone.ratioP50),
    'qemu-console': result.qemuConsole?.samples.length === VM_SAMPLES,
    pxe: result.pxe?.samples.length === PXE_SAMPLES,
    failover:
      result.failover?.length === FAILOVER_DRIVERS.length && result.failover.every((f) => f.runs.length === FAILOVER_SIZES.length * FAILOVER_RUNS),
    checks: (result.checks?.checksPerMinuteDone ?? 0) > 0,
    power: (result.power?.appliancesPlaced ?? 0) > 0,
  };
  result.finishedAt = new Date().toISOString();
  result.ok =
    errors.length === 0 &&
    parts.every((p) => measured[p]) &&
    result.leaks.count === 0 &&
    result.cleanup.errors.length === 0 &&
    result.cleanup.residue.length === 0;

  console.log(renderTable(result));
  for (const line of failoverLines(result.failover ?? [])) console.log(line);
  const path = await writeResult({ ...result, warmup });
  console.log(`results: ${path}`);
  for (const e of [...errors, ...result.cleanup.errors]) console.error(`bench: error: ${e}`);
  for (const r of result.cleanup.residue) console.error(`bench: left on the host: ${r}`);
  for (const l of result.leaks.list) console.error(`bench: leak: ${l}`);
  for (const p of parts) if (!measured[p]) console.error(`bench: not measured: ${p} (${PARTS[p].what})`);
  console.log(result.ok ? 'bench: completed' : 'bench: FAILED (see errors above)');
  return result.ok ? 0 : 1;
}

/** BENCH_QEMU_ACCEL: the qemu driver's accelerator for the VM part; its own default, 'auto', when unset. */
function accelOption(text: string | undefined): Accel | 'auto' {
  if (text === undefined || text === '') return 'auto';
  if (text === 'auto' || text === 'kvm' || text === 'tcg') return text;
  throw new Error(`BENCH_QEMU_ACCEL must be auto, kvm or tcg (got ${text})`);
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : fallback;
}

process.exitCode = await main();
