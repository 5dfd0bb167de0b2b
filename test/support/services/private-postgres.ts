import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server-process.ts';

/**
 * A PostgreSQL server of the test's own (initdb in a temp dir, its own loopback port), so a test
 * can stop and start it under a running control plane without touching the machine's shared
 * server. Runs as the `postgres` user, which initdb requires. `cleanup` stops it (pg_ctl, which
 * signals the postmaster named in its own pid file) and removes its directory.
 */
export interface PrivatePostgres {
  url: string;
  port: number;
  start(): void;
  stop(): void;
  cleanup(): void;
}

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  const v = versions.at(-1);
  if (!v) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', v, 'bin');
}

const asPostgres = (cmd: string, args: string[]): void => {
  execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe', timeout: 60_000 });
};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'fy-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const pgCtl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  let running = false;
  const pg: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      pgCtl('-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start');
      running = true;
    },
    stop() {
      if (!running) return;
      pgCtl('-m', 'fast', '-w', '-t', '30', 'stop');
      running = false;
    },
    cleanup() {
      try {
        pg.stop();
      } catch {
        // Not running after all; fall through to removing the directory.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    pg.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a private PostgreSQL: ${String(e)}\n${readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000)}`);
  }
  return pg;
}
