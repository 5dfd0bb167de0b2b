import { nowMs } from './clock.ts';
import type { BenchFleet } from './fleet.ts';

const POLL_MS = 10;
const READY_TIMEOUT_MS = 10_000;
const UP_LINE = /^fleetyard-appliance \S+ up$/m;

/**
 * Waits, off the clock, until the appliance's init has printed its "up" line. `running` means
 * runc started the first process; the base image's init installs its TERM trap a moment later,
 * and a TERM that lands before the trap is ignored by a PID 1, which costs the driver's full
 * 3 s TERM grace before it escalates to KILL. Stopping only after "up" makes stop→stopped time
 * the release path of a started appliance rather than that race (reported in the README).
 *
 * This is the one poll in the benchmark, and it bounds nothing that is reported as a latency
 * except `initReadyMs` (running event → "up" seen, POLL_MS resolution), kept in the JSON only.
 */
export async function waitForInitReady(fleet: BenchFleet, id: string, runningAtMs: number): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (UP_LINE.test(await fleet.api.logs(id))) return nowMs() - runningAtMs;
    if (Date.now() >= deadline) throw new Error(`appliance ${id} printed no "up" line within ${READY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
