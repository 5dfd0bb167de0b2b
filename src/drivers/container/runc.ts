import { tail } from '../../host/files.ts';
import { open, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, exec, execAllowFail } from '../../host/exec.ts';

/**
 * A thin wrapper around the runc binary with its own --root, so Fleetyard's containers never mix
 * with anything else on the host. One method per runc subcommand; no policy lives here.
 */

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface RuncState {
  id: string;
  pid: number;
  status: RuncStatus;
  bundle: string;
  /** RFC 3339 time runc created the container. */
  created: string;
}

export class Runc {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Whether runc has state for this id (a directory under --root), without spawning runc. */
  has(id: string): boolean {
    return existsSync(join(this.root, id));
  }

  /**
   * `runc run --detach`: returns once the first process has started. Its stdout and stderr (and
   * runc's own error output) go to `logPath`, which outlives this call; the first process's pid
   * is returned from the pid file runc writes.
   */
  async runDetached(id: string, bundle: string, logPath: string, pidFile: string): Promise<number> {
    const log = await open(logPath, 'a');
    try {
      const r = await execAllowFail(
        'runc',
        ['--root', this.root, 'run', '--detach', '--bundle', bundle, '--pid-file', pidFile, id],
        { stdio: ['ignore', log.fd, log.fd] },
      );
      if (r.exitCode !== 0) throw new CommandError('runc', ['run', id], r.exitCode, await tail(logPath, 2048));
    } finally {
      await log.close();
    }
    return Number((await readFile(pidFile, 'utf8')).trim());
  }

  /** `runc state`, or null when runc knows no such container. */
  async state(id: string): Promise<RuncState | null> {
    if (!this.has(id)) return null;
    const r = await execAllowFail('runc', ['--root', this.root, 'state', id]);
    if (r.exitCode !== 0) {
      if (/does not exist|not exist/.test(r.stderr)) return null;
      throw new CommandError('runc', ['state', id], r.exitCode, r.stderr);
    }
    return JSON.parse(r.stdout) as RuncState;
  }

  async kill(id: string, signal: 'TERM' | 'KILL'): Promise<void> {
    const r = await execAllowFail('runc', ['--root', this.root, 'kill', id, signal]);
    // A container that already stopped cannot be signalled; that is the outcome we wanted.
    if (r.exitCode !== 0 && !/not running|does not exist|process already finished/.test(r.stderr)) {
      throw new CommandError('runc', ['kill', id, signal], r.exitCode, r.stderr);
    }
  }

  /** `runc delete --force`: kills what is left and removes runc's state and cgroups. */
  async deleteForce(id: string): Promise<void> {
    if (!this.has(id)) return;
    const r = await execAllowFail('runc', ['--root', this.root, 'delete', '--force', id]);
    if (r.exitCode !== 0 && !/does not exist/.test(r.stderr)) {
      throw new CommandError('runc', ['delete', '--force', id], r.exitCode, r.stderr);
    }
  }

  async list(): Promise<RuncState[]> {
    if (!existsSync(this.root)) return [];
    const { stdout } = await exec('runc', ['--root', this.root, 'list', '--format', 'json']);
    return (JSON.parse(stdout) as RuncState[] | null) ?? [];
  }
}

