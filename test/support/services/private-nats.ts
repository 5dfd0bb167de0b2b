import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server-process.ts';

/**
 * A nats-server of the test's own, with JetStream and its own store dir on its own loopback
 * port, so a test can stop and start it under running processes. `stop` ends the process this
 * helper started (by its PID); `start` runs it again on the same port and store, as a restarted
 * server would come back.
 */
export interface PrivateNats {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** `address`: where it listens (default 127.0.0.1; a test's own 169.254 address to reach it from namespaces). */
export async function startPrivateNats(extraArgs: string[] = [], address = '127.0.0.1'): Promise<PrivateNats> {
  const dir = mkdtempSync(join(tmpdir(), 'fy-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const nats: PrivateNats = {
    url: `nats://${address}:${port}`,
    async start() {
      const c = spawn('/usr/sbin/nats-server', ['-a', address, '-p', String(port), '-js', '-sd', join(dir, 'store'), '-l', join(dir, 'server.log'), ...extraArgs], { stdio: 'ignore' });
      child = c;
      const deadline = Date.now() + 15_000;
      while (!(await answers(port, address))) {
        if (c.exitCode !== null) throw new Error(`nats-server exited with ${c.exitCode}`);
        if (Date.now() > deadline) throw new Error('nats-server did not listen within 15 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    },
    async cleanup() {
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await nats.start();
  } catch (e) {
    await nats.cleanup();
    throw e;
  }
  return nats;
}

function answers(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect(port, address);
    s.once('data', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
