import { isAlive } from '../host/processes.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Long-running helper processes of the boot service (dnsmasq, the HTTP file server), tracked by
 * a pid file we write ourselves. They are started detached, so a restarted agent does not cut
 * DHCP off from machines that are booting: the next start adopts the running process instead
 * of starting a second one.
 *
 * Invariant: a pid file is trusted only while /proc/<pid>/cmdline still contains the daemon's
 * `marker` (a path unique to its boot service), so a recycled pid is never adopted or signalled.
 */
export interface DaemonSpec {
  /** For messages only. */
  name: string;
  command: string;
  args: string[];
  pidFile: string;
  logFile: string;
  /** A string in the command line that identifies this very daemon (e.g. its config dir). */
  marker: string;
  /**
   * The marker an earlier build of this daemon was known by. A process the pid file names that
   * has it but not `marker` is this service's, but must not be adopted (it would keep serving
   * by the old rules): it is stopped and a current one started.
   */
  supersedes?: string;
  /**
   * Resolves true once the daemon serves; polled after a start until `startTimeoutMs`.
   * `logOffset` is the log file's size before this start: only what follows is about this run.
   */
  ready(run: { pid: number; logOffset: number }): Promise<boolean>;
  startTimeoutMs?: number;
  /**
   * The signal that ends it (default SIGTERM, KILL after a grace period). A wrapper that ignores
   * TERM (`unshare --fork`) is ended with SIGKILL at once.
   */
  stopSignal?: NodeJS.Signals;
}

/** The daemon's pid if it runs (and is ours), else null. */
export async function daemonPid(spec: DaemonSpec): Promise<number | null> {
  let pid: number;
  try {
    pid = Number((await readFile(spec.pidFile, 'utf8')).trim());
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (!Number.isInteger(pid) || pid <= 1) return null;
  return (await isOurs(pid, spec.marker)) ? pid : null;
}

/**
 * Starts the daemon unless it already runs; resolves with its pid once `ready()` says so.
 * Fails with the tail of its log when it exits or does not get ready in time.
 */
export async function ensureDaemon(spec: DaemonSpec): Promise<number> {
  const running = await daemonPid(spec);
  if (running !== null) return running;
  if (spec.supersedes !== undefined) await stopDaemon({ ...spec, marker: spec.supersedes });
  const log = openSync(spec.logFile, 'a');
  const logOffset = fstatSync(log).size;
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, { detached: true, stdio: ['ignore', log, log] });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', resolve);
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid as number;
  child.on('error', () => undefined); // a failed kill below must not become an uncaught error
  // While it starts, only the child handle tells whether it lives: its command line is briefly
  // empty while `ip netns exec` executes the real program, so the marker check would misfire.
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exit.then(() => (exited = true), () => undefined);
  child.unref();
  const tmp = `${spec.pidFile}.tmp`;
  await writeFile(tmp, `${pid}\n`);
  await rename(tmp, spec.pidFile);
  const deadline = Date.now() + (spec.startTimeoutMs ?? 10_000);
  for (;;) {
    if (exited) {
      await rm(spec.pidFile, { force: true });
      throw new Error(`${spec.name} exited at start; its log ends:\n${await logTail(spec.logFile)}`);
    }
    if (await spec.ready({ pid, logOffset })) return pid;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exit;
      await rm(spec.pidFile, { force: true });
      throw new Error(`${spec.name} did not get ready; its log ends:\n${await logTail(spec.logFile)}`);
    }
    await sleep(20);
  }
}

/** Sends a signal to the daemon if it runs; false when it does not. */
export async function signalDaemon(spec: DaemonSpec, signal: NodeJS.Signals): Promise<boolean> {
  const pid = await daemonPid(spec);
  if (pid === null) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * TERM (or the spec's stop signal), then KILL after `timeoutMs`; waits until the process and
 * every process carrying its marker (what it started, such as the daemon a wrapper runs) are
 * gone, so what it listened on is free when this resolves, and removes the pid file.
 */
export async function stopDaemon(spec: DaemonSpec, timeoutMs = 3_000): Promise<void> {
  const pid = await daemonPid(spec);
  if (pid !== null) {
    kill(pid, spec.stopSignal ?? 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (await isAlive(pid)) {
      if (Date.now() > deadline) {
        kill(pid, 'SIGKILL');
        await waitGone(pid, 2_000);
        break;
      }
      await sleep(20);
    }
    await waitMarkerGone(spec.marker, 2_000);
  }
  await rm(spec.pidFile, { force: true });
}

/** Waits (bounded) until no process's command line carries the marker. */
async function waitMarkerGone(marker: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await anyWithMarker(marker)) && Date.now() < deadline) await sleep(20);
}

async function anyWithMarker(marker: string): Promise<boolean> {
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((e) => /^\d+$/.test(e)).map(Number);
  for (const pid of pids) if (pid !== process.pid && (await isOurs(pid, marker))) return true;
  return false;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await isAlive(pid)) && Date.now() < deadline) await sleep(20);
}


async function isOurs(pid: number, marker: string): Promise<boolean> {
  if (!(await isAlive(pid))) return false;
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
    return cmdline.includes(marker);
  } catch {
    return false;
  }
}

async function logTail(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).slice(-2048);
  } catch {
    return '(no log)';
  }
}

