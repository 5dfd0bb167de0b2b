import { readFile, stat } from 'node:fs/promises';
import type { Accel } from '../src/drivers/qemu/accel.ts';
import { qemuPaths } from '../src/drivers/qemu/paths.ts';
import { findVmLeaks } from '../test/support/host-leaks.ts';
import { testKernel } from '../test/support/test-kernel.ts';
import { nowMs } from './clock.ts';
import { watchConsole } from './console-watch.ts';
import { BenchFleet } from './fleet.ts';
import { eventTime } from './request-to-running.ts';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

/** Timed VMs, one at a time, after WARMUP_VMS untimed ones. */
export const VM_SAMPLES = 5;
const WARMUP_VMS = 1;
const MEMORY_MIB = 128;
/** Per VM: a TCG boot takes seconds; this only turns a hang into an error. */
const BOOT_TIMEOUT_MS = 120_000;
const DELETE_TIMEOUT_MS = 60_000;

/** One VM: epoch-ms marks and the latencies derived from them. */
export interface QemuConsoleSample {
  id: string;
  accel: string | null;
  requestToUpMs: number;
  requestToRunningMs: number;
  deleteToDeletedMs: number;
  /** Consecutive phases of request→running, in ms (see measureQemuConsole). */
  phases: Record<string, number>;
}

export interface QemuConsoleResult {
  /** The qemu driver's `accel` option: 'auto' (its default: KVM only when a test run works) or forced. */
  accelAsked: Accel | 'auto';
  /** What the driver booted the VMs with. */
  accel: string | null;
  memoryMiB: number;
  requestToUp: Summary;
  requestToRunning: Summary;
  deleteToDeleted: Summary;
  phases: Record<string, Summary>;
  samples: QemuConsoleSample[];
  warmup: QemuConsoleSample[];
  /** Host objects of deleted VMs still there (QEMU, tap, VM dir, disk clone). */
  leaks: string[];
  errors: string[];
  cleanup: { errors: string[]; residue: string[] };
}

/**
 * request → "appliance up" on the serial console, for a VM through a real control plane: a
 * BenchFleet with the real qemu driver next to the container driver, the test kernel set
 * (test/support/test-kernel.ts) registered over the API and the busybox base image imported.
 * Per VM, sequentially: POST /api/v1/appliances asking for qemu, then, at once, the VM's
 * console.log (in the qemu driver's state dir, the file the driver itself reads) is watched for
 * `fleetyard-initramfs ok` and `fleetyard-appliance <hostname> up`, and the SSE stream for
 * `appliance.running`. Once running, GET …/logs must show the same line (the path a user reads
 * the console by). Then DELETE, timed to `appliance.deleted`, and the host is checked for what
 * the VM could have left. The first VM (it builds the image's base disk and the bridge) is a
 * warm-up kept out of the figures.
 *
 * Phases of request→running (consecutive):
 *   placement  request sent → `appliance.placed` committed (API, outbox, bus, scheduler)
 *   dispatch   → the qemu driver's ensure entered (agent request, disk clone over the base disk)
 *   launch     → QEMU wrote its pidfile (VM dir, bridge, tap, seed, qemu-system-x86_64 -daemonize)
 *   kernel     → `fleetyard-initramfs ok` seen (firmware, kernel, initramfs start)
 *   root       → `fleetyard-appliance … up` seen (disk, switch_root, the image's init)
 *   running    → `appliance.running` parsed (driver's own console poll, status write, SSE)
 */
export async function measureQemuConsole(signal: AbortSignal, accelAsked: Accel | 'auto'): Promise<QemuConsoleResult> {
  const fleet = new BenchFleet({ qemu: { accel: accelAsked } });
  const result: QemuConsoleResult = {
    accelAsked,
    accel: null,
    memoryMiB: MEMORY_MIB,
    requestToUp: summarize([]),
    requestToRunning: summarize([]),
    deleteToDeleted: summarize([]),
    phases: {},
    samples: [],
    warmup: [],
    leaks: [],
    errors: [],
    cleanup: { errors: [], residue: [] },
  };
  const cancel = () => fleet.events?.cancelAll(String(signal.reason));
  signal.addEventListener('abort', cancel);
  try {
    await fleet.makeTmpDir();
    await fleet.start();
    const kernel = await fleet.api.registerKernel('bench-test-kernel', testKernel());
    for (let i = 0; i < WARMUP_VMS + VM_SAMPLES; i++) {
      signal.throwIfAborted();
      const sample = await oneVm(fleet, kernel.id, `bench-vm-${i}`, signal);
      (i < WARMUP_VMS ? result.warmup : result.samples).push(sample);
      result.leaks.push(...(await findVmLeaks([sample.id], fleet.qemuStateDir, { storageRoot: fleet.storageRoot })));
      result.accel ??= sample.accel;
    }
  } catch (e) {
    result.errors.push(`qemu-console: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    signal.removeEventListener('abort', cancel);
    result.cleanup = await fleet.close();
  }
  const s = result.samples;
  result.requestToUp = roundSummary(summarize(s.map((x) => x.requestToUpMs)));
  result.requestToRunning = roundSummary(summarize(s.map((x) => x.requestToRunningMs)));
  result.deleteToDeleted = roundSummary(summarize(s.map((x) => x.deleteToDeletedMs)));
  for (const phase of Object.keys(s[0]?.phases ?? {})) {
    result.phases[phase] = roundSummary(summarize(s.map((x) => x.phases[phase] as number)));
  }
  return result;
}

async function oneVm(fleet: BenchFleet, kernelId: string, name: string, signal: AbortSignal): Promise<QemuConsoleSample> {
  const paths = qemuPaths(fleet.qemuStateDir);
  const t0 = nowMs();
  const vm = await fleet.api.createVm(name, fleet.baseImageId, kernelId, MEMORY_MIB);
  fleet.applianceIds.add(vm.id);
  const up = `fleetyard-appliance ${vm.hostname} up`;
  const seen = new Map<string, number>();
  const done = new AbortController();
  const consoleWatch = watchConsole({
    path: paths.consoleLog(vm.id),
    lines: { initramfs: 'fleetyard-initramfs ok', up },
    seen,
    timeoutMs: BOOT_TIMEOUT_MS,
    signal: AbortSignal.any([signal, done.signal]),
  });
  const failed = fleet.events.waitFor(vm.id, 'appliance.failed', BOOT_TIMEOUT_MS).then(
    (a) => Promise.reject(new Error(`${name} failed: ${a.event.message}`)),
    () => new Promise<never>(() => undefined),
  );
  let runningAtMs: number;
  try {
    const [running] = await Promise.race([Promise.all([fleet.events.waitFor(vm.id, 'appliance.running', BOOT_TIMEOUT_MS), consoleWatch]), failed]);
    runningAtMs = running.atMs;
  } finally {
    done.abort();
    await consoleWatch.catch(() => undefined);
  }
  const upAt = seen.get('up') as number;
  const logs = await fleet.api.logs(vm.id);
  if (!logs.replaceAll('\r', '').split('\n').includes(up)) throw new Error(`GET /api/v1/appliances/${vm.id}/logs does not show "${up}"`);

  const placed = eventTime(fleet, vm.id, 'appliance.placed');
  const span = fleet.qemu?.starts.get(vm.id);
  const qemuStarted = await stat(paths.pidFile(vm.id)).then((st) => st.mtimeMs, () => undefined);
  const initramfs = seen.get('initramfs');
  const accel = await bootAccel(fleet, vm.id);
  const phases: Record<string, number> = {};
  if (placed !== undefined && span && qemuStarted !== undefined && initramfs !== undefined) {
    phases.placement = roundMs(placed - t0);
    phases.dispatch = roundMs(span.startMs - placed);
    phases.launch = roundMs(qemuStarted - span.startMs);
    phases.kernel = roundMs(initramfs - qemuStarted);
    phases.root = roundMs(upAt - initramfs);
    phases.running = roundMs(runningAtMs - upAt);
  }

  const t1 = nowMs();
  await fleet.api.deleteAppliance(vm.id);
  const deleted = await fleet.events.waitFor(vm.id, 'appliance.deleted', DELETE_TIMEOUT_MS);
  return {
    id: vm.id,
    accel,
    requestToUpMs: roundMs(upAt - t0),
    requestToRunningMs: roundMs(runningAtMs - t0),
    deleteToDeletedMs: roundMs(deleted.atMs - t1),
    phases,
  };
}

/** The accelerator the driver booted a running VM with (its boot.json, removed when it stops). */
async function bootAccel(fleet: BenchFleet, id: string): Promise<string | null> {
  const text = await readFile(qemuPaths(fleet.qemuStateDir).bootFile(id), 'utf8').catch(() => null);
  return text === null ? null : ((JSON.parse(text) as { accel?: string }).accel ?? null);
}
