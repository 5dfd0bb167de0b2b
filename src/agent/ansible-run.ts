import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One `ansible-playbook` run of one configuration group against one appliance, from the agent of
 * the host it runs on (only that host reaches the appliance's bridge).
 *
 * Everything the run needs lives in a fresh temporary directory (mode 0700) removed afterwards:
 * the playbook, an inventory of that one appliance, the private key (0600), a known_hosts file
 * holding the host key the appliance printed on its console (so host keys are checked), an empty
 * ansible.cfg, and Ansible's own home and temporary directories. HOME points there too, so
 * nothing of the agent user's ~/.ansible or ~/.ssh is read or written. SSH connection sharing is
 * off, so no master process outlives the run.
 *
 * The json stdout callback gives the counts (its `stats`) and each task's result; the failing
 * task's `msg` becomes the run's message.
 */
export interface AnsibleTarget {
  /** The inventory name of the host (the appliance's name). */
  name: string;
  address: string;
  /** `TYPE BASE64` as the appliance printed it. */
  hostKey: string;
  /** The OpenSSH private key root accepts. */
  privateKey: string;
}

export interface AnsibleRunResult {
  state: 'applied' | 'failed';
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  /** One line: what went wrong (the failing task and its msg), or a summary. */
  message: string;
  /** What each task did, one line each, at most OUTPUT_LIMIT characters (the end kept). */
  output: string;
}

export const OUTPUT_LIMIT = 8_192;
/** More JSON than a sane playbook prints; beyond it the run is stopped rather than buffered. */
const STDOUT_LIMIT = 16 * 1024 * 1024;

export async function runPlaybook(target: AnsibleTarget, playbook: string, timeoutMs: number, binary = 'ansible-playbook'): Promise<AnsibleRunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'fy-ansible-'));
  try {
    const file = (name: string) => join(dir, name);
    const inventory = {
      all: {
        hosts: {
          [target.name]: {
            ansible_host: target.address,
            ansible_user: 'root',
            ansible_ssh_private_key_file: file('id'),
            ansible_ssh_common_args: `-o UserKnownHostsFile=${file('known_hosts')} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10`,
          },
        },
      },
    };
    await Promise.all([
      writeFile(file('id'), target.privateKey.endsWith('\n') ? target.privateKey : `${target.privateKey}\n`, { mode: 0o600 }),
      writeFile(file('known_hosts'), `${target.address} ${target.hostKey}\n`, { mode: 0o600 }),
      writeFile(file('inventory.json'), JSON.stringify(inventory), { mode: 0o600 }),
      writeFile(file('playbook.yml'), playbook, { mode: 0o600 }),
      writeFile(file('ansible.cfg'), '', { mode: 0o600 }),
    ]);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      HOME: dir,
      ANSIBLE_CONFIG: file('ansible.cfg'),
      ANSIBLE_HOME: file('home'),
      ANSIBLE_LOCAL_TEMP: file('tmp'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: file('cp'),
      ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o ControlPersist=no',
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      // Facts need Python on the target; a play that wants them says gather_facts: true.
      ANSIBLE_GATHERING: 'explicit',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
    };
    let run: Spawned;
    try {
      run = await spawnBounded(binary, ['-i', file('inventory.json'), file('playbook.yml')], { cwd: dir, env, timeoutMs });
    } catch (e) {
      // Not installed on this host (ENOENT), or not executable: the run's failure, said plainly.
      const message = `${binary} could not be started on this host: ${(e as Error).message}`;
      return { state: 'failed', ok: 0, changed: 0, failed: 1, unreachable: 0, message, output: '' };
    }
    return interpret(target.name, run);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Spawned {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it was stopped, when it was. */
  stopped: string | null;
}

function spawnBounded(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a stop reaches the ssh processes Ansible forked too.
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let stopped: string | null = null;
    const stop = (why: string) => {
      if (stopped) return;
      stopped = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => stop(`it ran longer than ${Math.round(opts.timeoutMs / 1000)} s`), opts.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.length > STDOUT_LIMIT) stop('it printed more than 16 MiB');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-OUTPUT_LIMIT);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr, stopped });
    });
  });
}

interface TaskResult {
  failed?: boolean;
  unreachable?: boolean;
  changed?: boolean;
  skipped?: boolean;
  msg?: unknown;
  rc?: number;
  stdout?: string;
  stderr?: string;
}
interface JsonReport {
  plays?: Array<{ play?: { name?: string }; tasks?: Array<{ task?: { name?: string }; hosts?: Record<string, TaskResult> }> }>;
  stats?: Record<string, { ok?: number; changed?: number; failures?: number; unreachable?: number }>;
}

const oneLine = (s: string, max = 500) => s.replace(/\s+/g, ' ').trim().slice(0, max);

/** Counts, message and output from the json callback's report (or from stderr when there is none). */
export function interpret(host: string, run: Spawned): AnsibleRunResult {
  const start = run.stdout.indexOf('{');
  let report: JsonReport | null = null;
  if (start >= 0) {
    try {
      report = JSON.parse(run.stdout.slice(start)) as JsonReport;
    } catch {
      report = null;
    }
  }
  const stats = report?.stats?.[host] ?? {};
  const counts = { ok: stats.ok ?? 0, changed: stats.changed ?? 0, failed: stats.failures ?? 0, unreachable: stats.unreachable ?? 0 };
  const lines: string[] = [];
  let firstFailure: string | null = null;
  for (const play of report?.plays ?? []) {
    for (const t of play.tasks ?? []) {
      const r = t.hosts?.[host];
      if (!r) continue;
      const name = t.task?.name || '(unnamed task)';
      const word = r.unreachable ? 'unreachable' : r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok';
      const said = [typeof r.msg === 'string' ? r.msg : '', r.failed || r.unreachable ? (r.stderr ?? '') : '', r.stdout ?? ''].map((s) => oneLine(s, 300)).filter(Boolean).join(' | ');
      lines.push(`${word}: [${host}] ${name}${said ? `: ${said}` : ''}`);
      if ((r.failed || r.unreachable) && firstFailure === null) {
        const msg = typeof r.msg === 'string' ? r.msg : `rc ${r.rc ?? '?'}`;
        const detail = r.rc !== undefined && r.rc !== 0 ? oneLine(r.stderr || r.stdout || '', 300) : '';
        firstFailure = `task "${name}" ${r.unreachable ? 'could not reach the appliance' : 'failed'}: ${oneLine(msg)}${detail ? ` (${detail})` : ''}`;
      }
    }
  }
  let output = lines.join('\n');
  if (run.stderr.trim()) output += `${output ? '\n' : ''}${run.stderr.trim()}`;
  if (output.length > OUTPUT_LIMIT) output = `…${output.slice(-(OUTPUT_LIMIT - 1))}`;
  const failedRun = run.stopped !== null || run.exitCode !== 0 || counts.failed > 0 || counts.unreachable > 0;
  if (!failedRun) {
    return { state: 'applied', ...counts, message: `${counts.ok} ok, ${counts.changed} changed`, output };
  }
  const message =
    run.stopped !== null
      ? `ansible-playbook was stopped: ${run.stopped}`
      : (firstFailure ?? (report ? `ansible-playbook exited with ${run.exitCode}` : `ansible-playbook exited with ${run.exitCode}: ${oneLine(run.stderr || run.stdout) || 'no output'}`));
  // A run that failed with no task counted failed or unreachable (stopped, refused) counts one failure.
  const failed = counts.failed + counts.unreachable > 0 ? counts.failed : 1;
  return { state: 'failed', ...counts, failed, message, output };
}
