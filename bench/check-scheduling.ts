import { createServer } from 'node:net';
import { CheckRunner } from '../src/agent/check-runner.ts';
import { systemClock } from '../src/domain/clock.ts';
import type { HealthCheck } from '../src/domain/health-check.ts';
import { measureCpu } from './cpu.ts';

export const CHECKS_PER_MINUTE = 1_000;
const RUN_MS = 30_000;

export interface CheckSchedulingResult {
  checksPerMinuteAsked: number;
  /** Results the runner reported during the run, per minute. */
  checksPerMinuteDone: number;
  runMs: number;
  /** CPU per check: this process (scheduling, parsing, reporting) and the plugins it ran. */
  nodeCpuMsPerCheck: number;
  pluginCpuMsPerCheck: number;
  eventLoopUtilization: number;
  errors: string[];
}

/**
 * The agent's check scheduling at 1,000 checks a minute: 100 appliances with 10 TCP checks each,
 * every 6 s, run by the agent's own CheckRunner with Debian's check_tcp against a listener on
 * loopback, for 30 s. What it costs the agent's process and the plugins, per check.
 */
export async function measureCheckScheduling(signal: AbortSignal): Promise<CheckSchedulingResult> {
  const errors: string[] = [];
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  let done = 0;
  const runner = new CheckRunner({
    clock: systemClock,
    concurrency: 8,
    log: (m) => errors.push(m),
    report: async () => {
      done++;
    },
  });
  const checks: HealthCheck[] = Array.from({ length: 10 }, (_, i) => ({ name: `tcp-${i}`, kind: 'tcp', port, intervalSeconds: 6 }));
  const cpu = measureCpu();
  for (let a = 0; a < CHECKS_PER_MINUTE / 10 / 10; a++) runner.set(`bench-appliance-${a}`, '127.0.0.1', checks);
  await new Promise<void>((r) => {
    const timer = setTimeout(r, RUN_MS);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      r();
    });
  });
  runner.stopAll();
  const used = cpu();
  await new Promise<void>((r) => server.close(() => r()));
  const n = Math.max(1, done);
  return {
    checksPerMinuteAsked: CHECKS_PER_MINUTE,
    checksPerMinuteDone: Math.round((done / used.wallMs) * 60_000),
    runMs: Math.round(used.wallMs),
    nodeCpuMsPerCheck: used.nodeCpuMs / n,
    pluginCpuMsPerCheck: used.childrenCpuMs / n,
    eventLoopUtilization: used.eventLoopUtilization,
    errors: done === 0 ? [...errors, 'no check ran'] : errors.slice(0, 5),
  };
}
