import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { roundMs } from './stats.ts';

/**
 * Where the CPU went during a row: this Node process (API, store, reconciler, agent, SSE, and
 * the benchmark client itself) versus the child processes it ran and reaped (runc, ip, mount…),
 * plus how busy the event loop was. On a 2-core host this tells whether latency under
 * concurrency is the control plane's own work or queueing for the cores behind host commands.
 */
export interface CpuUse {
  wallMs: number;
  nodeCpuMs: number;
  childrenCpuMs: number;
  /** Share of wall time the event loop was not idle (0..1). */
  eventLoopUtilization: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function measureCpu(): () => CpuUse {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const children0 = childrenCpuMs();
  const elu0 = performance.eventLoopUtilization();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return {
      wallMs: roundMs(performance.now() - t0),
      nodeCpuMs: roundMs((cpu.user + cpu.system) / 1000),
      childrenCpuMs: roundMs(childrenCpuMs() - children0),
      eventLoopUtilization: Math.round(performance.eventLoopUtilization(elu0).utilization * 1000) / 1000,
    };
  };
}

/** cutime + cstime of /proc/self/stat: CPU of reaped children (and their reaped children). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // proc(5) fields 16 and 17; the split starts at field 3 (state), after the parenthesised comm.
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}
