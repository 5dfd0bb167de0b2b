import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './server-process.ts';

/** A TSIG key as `tsig-keygen` made it. */
export interface NamedKey {
  name: string;
  algorithm: 'hmac-sha256';
  secret: string;
}

export interface Named {
  address: string;
  port: number;
  pid: number;
  key: NamedKey;
  log(): string;
  stop(): Promise<void>;
}

const SOA = (zone: string) => `$TTL 60
@ IN SOA ns.${zone}. hostmaster.${zone}. 1 3600 600 86400 60
@ IN NS ns.${zone}.
`;

/**
 * Debian's BIND 9 (`named -g`) of the test's own on a free loopback port, primary for the given
 * zones (forward and reverse), which accept RFC 2136 updates signed with one key made by
 * `tsig-keygen`. Everything lives in a temp dir; `stop` ends this named by its PID and removes
 * the dir. Call it from `after` / `t.after`.
 */
export async function startNamed(zones: readonly string[]): Promise<Named> {
  const dir = mkdtempSync(join(tmpdir(), 'fy-named-'));
  let child: ChildProcess | undefined;
  let output = '';
  const stop = async () => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      process.kill(c.pid as number, 'SIGTERM');
      const timer = setTimeout(() => c.exitCode === null && c.signalCode === null && process.kill(c.pid as number, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const keyName = 'fleetyard-test-key';
    const keyFile = join(dir, 'fleetyard.key');
    writeFileSync(keyFile, execFileSync('/usr/sbin/tsig-keygen', ['-a', 'hmac-sha256', keyName]));
    const secret = /secret "([^"]+)"/.exec(readFileSync(keyFile, 'utf8'))?.[1];
    if (!secret) throw new Error('tsig-keygen printed no secret');
    // The apex A of the first zone makes the NS of every zone resolvable.
    const first = zones[0] as string;
    const zoneBlocks = zones.map((z, i) => {
      writeFileSync(join(dir, `db.${z}`), SOA(first) + (i === 0 ? 'ns IN A 127.0.0.1\n' : ''));
      return `zone "${z}" { type primary; file "${join(dir, `db.${z}`)}"; update-policy { grant ${keyName} zonesub ANY; }; };`;
    });
    const port = await freePort();
    const conf = join(dir, 'named.conf');
    writeFileSync(
      conf,
      [
        `include "${keyFile}";`,
        `options { directory "${dir}"; pid-file "${join(dir, 'named.pid')}"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };`,
        '          recursion no; allow-transfer { none; }; notify no; };',
        'controls { };',
        ...zoneBlocks,
        '',
      ].join('\n'),
    );
    child = spawn('/usr/sbin/named', ['-g', '-c', conf, '-u', 'root'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 200 && !output.includes('running'); i++) {
      if (child.exitCode !== null) throw new Error(`named exited ${child.exitCode}: ${output.slice(-2000)}`);
      await sleep(50);
    }
    if (!output.includes('running')) throw new Error(`named did not start: ${output.slice(-2000)}`);
    return { address: '127.0.0.1', port, pid: child.pid as number, key: { name: keyName, algorithm: 'hmac-sha256', secret }, log: () => output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
