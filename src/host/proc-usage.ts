import { readFile } from 'node:fs/promises';

/**
 * What one process has used, from /proc/<pid>: its CPU time (user + system, in the kernel's clock
 * ticks, USER_HZ, which is 100 on every Linux ABI Node runs on) and its resident memory.
 */
const USER_HZ = 100;

/** CPU seconds of the process, or null when it is gone. */
export async function processCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : null;
  } catch {
    return null;
  }
}

/** Resident memory of the process in bytes (VmRSS), or null when it is gone. */
export async function processRssBytes(pid: number): Promise<number | null> {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
