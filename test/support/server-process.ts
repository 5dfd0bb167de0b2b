import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free loopback port, found by binding to port 0 and letting it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `fleetyard server` (or `fleetyard agent`) as a separate process, so a test can kill it like a
 * crash would (SIGKILL) and start it again on the same data directory.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  output = '';

  constructor(
    private readonly env: Record<string, string>,
    private readonly args: string[] = ['server'],
    /** How to know it is up: the API answers (server) or a line appears in its output (agent). */
    private readonly readyLine?: RegExp,
    /**
     * Run it inside this network namespace, as on a machine of its own: a mount namespace of its
     * own too (its mounts vanish with its processes, as at a power cut), a /sys of that network
     * namespace (so it sees its own links), and the host's cgroup hierarchies bound back under it
     * (which `ip netns exec` alone would hide, and a container runtime needs).
     */
    private readonly netns?: string,
  ) {}

  /** The process's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://${this.env.FLEETYARD_LISTEN}`;
  }

  /** The bootstrap admin token the server wrote into its data directory. */
  get token(): string {
    return readFileSync(`${this.env.FLEETYARD_DATA_DIR}/admin.token`, 'utf8').trim();
  }

  async start(): Promise<void> {
    const bin = join(import.meta.dirname, '../../bin/fleetyard.js');
    const cgroups = `${this.env.FLEETYARD_DATA_DIR ?? '/tmp'}/.cgroup-bind`;
    const enter = [
      `mkdir -p '${cgroups}'`,
      `mount --rbind /sys/fs/cgroup '${cgroups}'`,
      'mount -t sysfs sysfs /sys',
      `mount --move '${cgroups}' /sys/fs/cgroup`,
      'exec "$0" "$@"',
    ].join(' && ');
    const [cmd, argv] = this.netns
      ? ['nsenter', [`--net=/run/netns/${this.netns}`, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', enter, process.execPath, bin, ...this.args]]
      : [process.execPath, [bin, ...this.args]];
    const child = spawn(cmd as string, argv as string[], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // A restart is ready when this run says so, not an earlier one.
    const from = this.output.length;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${this.output.slice(-2000)}`);
      const ok = this.readyLine
        ? this.readyLine.test(this.output.slice(from))
        : await fetch(`${this.url}/healthz`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not answer: ${this.output.slice(-2000)}`);
  }

  /** The exit code once the process has exited; null while it runs (or was never started). */
  get exitCode(): number | null {
    const c = this.child;
    if (!c) return null;
    return c.exitCode ?? (c.signalCode !== null ? 128 : null);
  }

  /** Ends the process the hard way: no shutdown hook runs. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}
