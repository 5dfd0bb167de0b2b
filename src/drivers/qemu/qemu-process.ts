import { isAlive, waitForExit } from '../../host/processes.ts';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Finding and ending an appliance's QEMU process. The truth is /proc, not a record: a QEMU is
 * the appliance's when its command line carries `-name fleetyard-<id>` (qemuName) and the
 * appliance's QMP socket path. The pidfile is the fast path; a scan of /proc finds a QEMU whose
 * pidfile is not written yet (a control plane killed while QEMU was starting) or was lost.
 */

/** The process's argv, or null when it is gone or a zombie (its exit is all that is left). */
export async function processArgs(pid: number): Promise<string[] | null> {
  if (!(await isAlive(pid))) return null;
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.length === 0 ? null : raw.replace(/\0$/, '').split('\0');
  } catch {
    return null;
  }
}

/** True when `args` is a QEMU started for this name and QMP socket. */
export function isQemuFor(args: string[], name: string, qmpSocket: string): boolean {
  const nameAt = args.indexOf('-name');
  const nameArg = nameAt >= 0 ? args[nameAt + 1] : undefined;
  return (
    /qemu-system/.test(args[0] ?? '') &&
    nameArg !== undefined &&
    nameArg.split(',')[0] === name &&
    args.some((a) => a.includes(`unix:${qmpSocket.replaceAll(',', ',,')},`))
  );
}

/** PIDs of live QEMU processes for this name and socket, the pidfile's first if it has one. */
export async function findQemu(pidFile: string, name: string, qmpSocket: string): Promise<number[]> {
  const found: number[] = [];
  const fromFile = await readPid(pidFile);
  if (fromFile !== null) {
    const args = await processArgs(fromFile);
    if (args && isQemuFor(args, name, qmpSocket)) found.push(fromFile);
  }
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === fromFile) continue;
    const args = await processArgs(pid);
    if (args && isQemuFor(args, name, qmpSocket)) found.push(pid);
  }
  return found;
}

export async function readPid(pidFile: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}



/** SIGKILL and wait; a process already gone is fine. */
export async function killHard(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(pid, 5_000);
}

