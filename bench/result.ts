import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CloneResult } from './clone-time.ts';
import type { LifecycleRow } from './lifecycle.ts';
import type { MachineFacts } from './machine.ts';
import type { Part } from './parts.ts';
import type { PxeBootResult } from './pxe-boot.ts';
import type { FailoverResult } from './failover.ts';
import type { CheckSchedulingResult } from './check-scheduling.ts';
import type { PowerWeekResult } from './power-week.ts';
import type { QemuConsoleResult } from './qemu-console.ts';
import { TARGETS } from './targets.ts';
import type { VmCloneResult } from './vm-clone-time.ts';

/** Everything one run measured, as written to bench/results/*.json. */
export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  /** True when every figure was measured, nothing leaked and teardown left nothing behind. */
  ok: boolean;
  targets: typeof TARGETS;
  /** The parts this run measured (`--only`; all by default). */
  parts: Part[];
  machine: MachineFacts | undefined;
  /** 1/5/15-minute load averages when the run ended (the start is in `machine`). */
  loadAverageAtEnd: number[];
  network: { bridge: string; cidr: string } | undefined;
  /** A couple of lifecycles before the figures: the first start also creates the bridge. */
  warmup?: LifecycleRow | undefined;
  lifecycles: LifecycleRow[];
  clone: CloneResult | undefined;
  vmClone: VmCloneResult | undefined;
  qemuConsole: QemuConsoleResult | undefined;
  pxe: PxeBootResult | undefined;
  /** One per variant: sim hosts, container hosts. */
  failover: FailoverResult[] | undefined;
  checks: CheckSchedulingResult | undefined;
  power: PowerWeekResult | undefined;
  /** Host objects left by deleted appliances (containers: findLeaks; VMs: QEMU, tap, VM dir, clone). */
  leaks: { checked: number; count: number; list: string[] };
  /** Teardown of every part: what went wrong and what is still on the host. */
  cleanup: { errors: string[]; residue: string[] };
  /** Appliance events seen on the stream, by type (e.g. any `appliance.failed`). */
  eventCounts: Record<string, number>;
  errors: string[];
}

const RESULTS_DIR = join(import.meta.dirname, 'results');

/**
 * Writes `results/<ISO 8601 basic timestamp>.json` (no colons, so the name is portable) and the
 * same content as `results/latest.json`. Returns the timestamped path.
 */
export async function writeResult(r: BenchResult): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = r.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const path = join(RESULTS_DIR, `${stamp}.json`);
  const text = JSON.stringify(r, null, 2) + '\n';
  await writeFile(path, text);
  await writeFile(join(RESULTS_DIR, 'latest.json'), text);
  return path;
}
