import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { HostUsage } from './protocol.ts';

/** `MemTotal` and `MemAvailable` of /proc/meminfo, in bytes (null when a field is missing). */
export function parseMeminfo(text: string): { totalBytes: number | null; availableBytes: number | null } {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  return { totalBytes: field('MemTotal'), availableBytes: field('MemAvailable') };
}

/** What this machine has and has left, now: CPUs, memory (/proc/meminfo) and load averages. */
export async function hostUsage(): Promise<HostUsage> {
  const mem = parseMeminfo(await readFile('/proc/meminfo', 'utf8').catch(() => ''));
  const [load1, load5, load15] = os.loadavg() as [number, number, number];
  return {
    cpus: os.cpus().length,
    memoryTotalBytes: mem.totalBytes ?? os.totalmem(),
    memoryAvailableBytes: mem.availableBytes ?? os.freemem(),
    load1,
    load5,
    load15,
  };
}
