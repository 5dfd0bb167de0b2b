import { spawn, type StdioOptions } from 'node:child_process';

/**
 * The one way Fleetyard runs a host command. Arguments are passed as an array (never through a
 * shell), so names derived from user input cannot inject anything. A failing command rejects
 * with a CommandError whose message carries the command line and its stderr, because "exit
 * status 1" alone is useless when a bridge or a mount does not come up.
 */
export class CommandError extends Error {
  readonly command: string;
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(command: string, args: readonly string[], exitCode: number | null, stderr: string) {
    const line = [command, ...args].join(' ');
    super(`${line} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim() || '(no stderr)'}`);
    this.name = 'CommandError';
    this.command = command;
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export interface ExecOptions {
  /** Written to the command's stdin (e.g. an `ip -batch -` script). */
  input?: string;
  /** Kill the command after this long; a hung host tool must not hang a reconcile loop. */
  timeoutMs?: number;
  /** Custom stdio, e.g. a log file descriptor for a process that outlives this call. */
  stdio?: StdioOptions;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command and resolves with its output whatever the exit status. */
export function execAllowFail(command: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: opts.stdio ?? [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === null) reject(new CommandError(command, args, null, `${stderr}\nkilled by ${signal}`));
      else resolve({ stdout, stderr, exitCode: code });
    });
    if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
  });
}

/** Runs a command; rejects with CommandError unless it exits 0. */
export async function exec(command: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await execAllowFail(command, args, opts);
  if (r.exitCode !== 0) throw new CommandError(command, args, r.exitCode, r.stderr);
  return r;
}
