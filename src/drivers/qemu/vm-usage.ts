import { processCpuSeconds, processRssBytes } from '../../host/proc-usage.ts';
import { portCounters } from '../../network/interface-counters.ts';
import type { ApplianceUsage } from '../driver.ts';
import { qmpSession } from './vm-control.ts';

/**
 * What a running VM has used, seen from the host: the QEMU process's CPU time and resident memory
 * (/proc; what the VM costs the host, its vCPUs included), its memory size as QMP reports it
 * (`query-balloon` when the VM has a balloon, else `query-memory-size-summary`), and its tap's
 * counters turned round to the guest's view. A QMP that does not answer leaves only the limit
 * unknown.
 */
export async function vmUsage(pid: number, qmpSocket: string, tap: string): Promise<ApplianceUsage | null> {
  const [cpuSeconds, memoryBytes, memoryLimitBytes, net] = await Promise.all([
    processCpuSeconds(pid),
    processRssBytes(pid),
    qmpSession(qmpSocket, memorySize, 2_000).catch(() => null),
    portCounters(tap),
  ]);
  if (cpuSeconds === null && memoryBytes === null) return null;
  return { cpuSeconds, memoryBytes, memoryLimitBytes, networkReceiveBytes: net?.receiveBytes ?? null, networkTransmitBytes: net?.transmitBytes ?? null };
}

async function memorySize(c: { execute<T>(command: string): Promise<T> }): Promise<number | null> {
  const balloon = await c.execute<{ actual?: number }>('query-balloon').catch(() => null);
  if (typeof balloon?.actual === 'number') return balloon.actual;
  const summary = await c.execute<{ 'base-memory'?: number }>('query-memory-size-summary');
  return typeof summary['base-memory'] === 'number' ? summary['base-memory'] : null;
}
