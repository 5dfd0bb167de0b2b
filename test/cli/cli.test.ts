import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startControlPlane } from '../../src/control-plane/control-plane.ts';
import { fakeBzImage, fakeInitrd } from '../support/kernel-files.ts';

/**
 * The CLI as users run it: `node bin/fleetyard.js …` in a child process, against a real control
 * plane started here (SQLite, in-process bus, embedded agent). Appliances use the simulated
 * driver (`--virtualization sim`), so nothing here needs root.
 */

const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process: the control plane it talks to lives here. */
function cli(args: string[], api: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, FLEETYARD_API: api, FORCE_COLOR: '0', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function json<T>(run: Run): T {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('fleetyard CLI', () => {
  let dir: string;
  let cp: { url: string; adminToken: string | undefined; stop(): Promise<void> };
  let api: string;
  const run = (...args: string[]): Promise<Run> => cli(args, api, { FLEETYARD_TOKEN: cp.adminToken ?? '' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetyard-cli-'));
    const rootfs = join(dir, 'rootfs');
    mkdirSync(join(rootfs, 'etc'), { recursive: true });
    writeFileSync(join(rootfs, 'etc', 'hostname'), 'sim\n');
    cp = await startControlPlane({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0' });
    api = cp.url;
  });

  after(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports an image and prints it as JSON and as a table', async () => {
    const image = json<{ id: string; name: string; status: { state: string } }>(
      await run('image', 'import', join(dir, 'rootfs'), '--name', 'base', '--command', "/bin/sh -c 'sleep 3600'", '--json'),
    );
    assert.equal(image.name, 'base');
    assert.equal(image.status.state, 'ready');

    const listed = json<{ id: string }[]>(await run('--json', 'image', 'list'));
    assert.deepEqual(
      listed.map((i) => i.id),
      [image.id],
    );

    const table = await run('image', 'list');
    assert.equal(table.code, 0, table.stderr);
    const [header, row] = table.stdout.split('\n');
    assert.match(header ?? '', /^ID\s+NAME\s+FORMAT\s+STATE/);
    assert.match(row ?? '', new RegExp(`^${image.id}\\s+base\\s+rootfs-dir\\s+ready`));

    const shown = json<{ id: string; spec: { command: string[] } }>(await run('image', 'show', 'base', '--json'));
    assert.equal(shown.id, image.id);
    assert.deepEqual(shown.spec.command, ['/bin/sh', '-c', 'sleep 3600']);
  });

  it('pages long lists: a default limit with a hint, --limit, and --all printed page by page', async () => {
    const imageId = json<{ id: string }>(await run('image', 'show', 'base', '--json')).id;
    const headers = { authorization: `Bearer ${cp.adminToken}`, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${api}/api/v1/appliances`, { method: 'POST', headers, body: JSON.stringify({ name: `page-${i}`, imageId, requirements: { virtualization: 'sim', cpu: 1, memoryMiB: 16 } }) });
      assert.equal(res.status, 201, await res.clone().text());
      ids.push(((await res.json()) as { id: string }).id);
    }
    try {
      const two = await run('appliance', 'list', '--limit', '2');
      assert.equal(two.code, 0, two.stderr);
      assert.equal(two.stdout.trim().split('\n').length, 3, `a header and two rows:\n${two.stdout}`);
      assert.match(two.stderr, /2 appliances shown; there are more: --limit N for more, --all for every one/);
      const all = await run('appliance', 'list', '--all', '--chunk-size', '2');
      assert.equal(all.code, 0, all.stderr);
      const lines = all.stdout.trim().split('\n');
      assert.equal(lines.filter((l) => /^ID\s+NAME\s/.test(l)).length, 1, 'one header over every page');
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[1]).sort(), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
      assert.equal(all.stderr, '', 'no hint when every row is shown');
      const asJson = json<Array<{ name: string }>>(await run('appliance', 'list', '--all', '--chunk-size', '2', '--json'));
      assert.deepEqual(asJson.map((a) => a.name).sort(), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
      assert.deepEqual(json<unknown[]>(await run('appliance', 'list', '--name', 'nothing-by-this-name', '--json')), []);
      const both = await run('appliance', 'list', '--all', '--limit', '3');
      assert.equal(both.code, 2, 'usage error: --all and --limit together');
    } finally {
      for (const id of ids) await fetch(`${api}/api/v1/appliances/${id}`, { method: 'DELETE', headers: { authorization: headers.authorization } });
      for (let i = 0; i < 300; i++) {
        const left = json<unknown[]>(await run('appliance', 'list', '--json'));
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  it('lists resources as a table', async () => {
    const res = await run('resource', 'list');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^ID\s+NAME\s+TYPE\s+VIRT\s+STATE\s+POWER/);
    assert.match(res.stdout, /sim/);
  });

  it('creates a join token shown once, lists it without its secret, and revokes it', async () => {
    const created = json<{ id: string; token: string; state: string; expiresAt: string }>(await run('--json', 'host', 'join-token', 'create', '--ttl', '30m', '--note', 'rack 4'));
    assert.match(created.token, /^fyj_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.state, 'pending');
    const table = await run('host', 'join-token', 'create');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /fyj_/);
    assert.match(table.stderr, /will not be shown again/);
    const listed = await run('--json', 'host', 'join-token', 'list');
    assert.ok(!listed.stdout.includes(created.token.slice(-43)), 'the list shows no secret');
    assert.equal(json<Array<{ id: string; state: string }>>(listed).find((t) => t.id === created.id)?.state, 'pending');
    assert.equal((await run('host', 'join-token', 'revoke', created.id)).code, 0);
    const after = json<Array<{ id: string; state: string }>>(await run('--json', 'host', 'join-token', 'list'));
    assert.equal(after.find((t) => t.id === created.id)?.state, 'revoked');
    assert.equal((await run('host', 'join-token', 'create', '--ttl', 'soon')).code, 2, 'a bad duration is a usage error');
  });

  it('exits 3 with the error code for what does not exist', async () => {
    for (const args of [
      ['image', 'show', 'no-such-image'],
      ['appliance', 'show', 'no-such-appliance'],
      ['appliance', 'stop', '01900000-0000-7000-8000-000000000000'],
    ]) {
      const res = await run(...args);
      assert.equal(res.code, 3, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, /^error: FY_NOT_FOUND: /);
      assert.equal(res.stdout, '');
    }
  });

  it('exits 2 on usage errors, before sending anything', async () => {
    const missing = await run('appliance', 'create', 'x');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: CLI_USAGE: .*--image/);
    const bad = await run('appliance', 'create', 'x', '--image', 'base', '--virtualization', 'teleport');
    assert.equal(bad.code, 2);
    const rejected = await run('appliance', 'create', 'bad name!', '--image', 'base');
    assert.equal(rejected.code, 2, rejected.stderr);
    assert.match(rejected.stderr, /^error: FY_VALIDATION: /);
  });

  it('exits 5 when the server cannot be reached', async () => {
    const port = await closedPort();
    const res = await run('--api', `http://127.0.0.1:${port}`, 'appliance', 'list');
    assert.equal(res.code, 5);
    assert.match(res.stderr, /^error: CLI_UNREACHABLE: /);
  });

  it('creates, lists, stops and removes an appliance with --wait', async () => {
    const created = json<{ id: string; status: { phase: string } }>(
      await run('appliance', 'create', 'web', '--image', 'base', '--virtualization', 'sim', '--cpu', '1', '--memory', '64', '--wait', '--timeout', '30', '--json'),
    );
    assert.equal(created.status.phase, 'running');

    const listed = json<{ id: string; name: string; status: { phase: string } }[]>(await run('appliance', 'list', '--json'));
    assert.deepEqual(
      listed.map((a) => [a.name, a.status.phase]),
      [['web', 'running']],
    );
    const table = await run('appliance', 'list');
    assert.match(table.stdout, /\bweb\s+running\s+running\s+sim\b/);

    const address = json<{ status: { address: string } }>(await run('appliance', 'show', 'web', '--json')).status.address;
    const names = await run('dns', 'show', 'web');
    assert.equal(names.code, 0, names.stderr);
    assert.match(names.stdout, /^NAME\s+TYPE\s+VALUE\s+ZONE\s+NETWORK/);
    assert.match(names.stdout, new RegExp(`web\\.fleetyard\\.internal\\s+A\\s+${address.replaceAll('.', '\\.')}\\s+fleetyard\\.internal\\s+default`));
    assert.match(names.stdout, /in-addr\.arpa\s+PTR\s+web\.fleetyard\.internal/);
    const zone = json<{ zone: string; records: Array<{ name: string; type: string }> }>(await run('--json', 'dns', 'zone', 'default'));
    assert.equal(zone.zone, 'fleetyard.internal');
    assert.deepEqual(zone.records.map((r) => `${r.name} ${r.type}`).filter((r) => r.endsWith(' A')), ['web.fleetyard.internal A']);

    const inUse = await run('image', 'rm', 'base');
    assert.equal(inUse.code, 4, inUse.stderr);
    assert.match(inUse.stderr, /^error: FY_IMAGE_IN_USE: /);

    const stopped = await run('appliance', 'stop', 'web', '--wait', '--timeout', '30', '--json');
    assert.equal(json<{ status: { phase: string } }>(stopped).status.phase, 'stopped');
    // Not a terminal here, so progress is plain lines on stderr, not a spinner.
    assert.match(stopped.stderr, /appliance web is stopped/);
    assert.doesNotMatch(stopped.stderr, /\r/);

    const removed = await run('appliance', 'rm', 'web', '--wait', '--timeout', '30');
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /deleted appliance web/);
    assert.equal((await run('appliance', 'show', created.id)).code, 3);

    const events = json<{ objectId: string; type: string }[]>(
      await run('events', '--kind', 'appliance', '--object', created.id, '--json'),
    );
    assert.ok(events.some((e) => e.type === 'appliance.created'));
    assert.ok(events.every((e) => e.objectId === created.id));

    assert.equal((await run('image', 'rm', 'base')).code, 0);
    assert.deepEqual(json<unknown[]>(await run('image', 'list', '--json')), []);
  });

  it('follows the event stream until interrupted, one JSON object per line', async () => {
    const follower = spawn(process.execPath, [BIN, 'events', '--follow', '--kind', 'image', '--json'], {
      env: { ...process.env, FLEETYARD_API: api, FLEETYARD_TOKEN: cp.adminToken ?? '' },
    });
    const lines: string[] = [];
    let buffered = '';
    const seen = new Promise<void>((resolve) => {
      follower.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        lines.push(...parts);
        if (lines.some((l) => (JSON.parse(l) as { type: string }).type === 'image.deleted')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
    await json<{ id: string }>(await run('image', 'import', join(dir, 'rootfs'), '--name', 'followed', '--json'));
    assert.equal((await run('image', 'rm', 'followed')).code, 0);
    await seen;
    follower.kill('SIGINT');
    assert.equal(await exited, 0);
    const types = lines.map((l) => (JSON.parse(l) as { type: string }).type);
    assert.deepEqual(types.slice(-2), ['image.ready', 'image.deleted']);
  });

  it('uploads kernels, imports from the server\'s import directory with --server-path, and refuses other paths', async () => {
    writeFileSync(join(dir, 'vmlinuz'), fakeBzImage());
    writeFileSync(join(dir, 'initrd'), fakeInitrd());
    const uploaded = json<{ id: string; status: { state: string }; spec: { vmlinuzPath: string; initrdPath: string } }>(
      await run('kernel', 'import', join(dir, 'vmlinuz'), '--initrd', join(dir, 'initrd'), '--name', 'uploaded', '--json'),
    );
    assert.equal(uploaded.status.state, 'ready');
    assert.equal(uploaded.spec.vmlinuzPath, join(dir, 'data', 'storage', 'local', 'kernels', uploaded.id, 'vmlinuz'));
    assert.equal(uploaded.spec.initrdPath, join(dir, 'data', 'storage', 'local', 'kernels', uploaded.id, 'initrd'));

    const imports = join(dir, 'data', 'import');
    writeFileSync(join(imports, 'vmlinuz'), fakeBzImage());
    const copied = json<{ status: { state: string } }>(await run('kernel', 'import', join(imports, 'vmlinuz'), '--name', 'copied', '--server-path', '--json'));
    assert.equal(copied.status.state, 'ready');
    mkdirSync(join(imports, 'rootfs', 'etc'), { recursive: true });
    writeFileSync(join(imports, 'rootfs', 'etc', 'hostname'), 'served\n');
    const image = json<{ status: { state: string } }>(await run('image', 'import', join(imports, 'rootfs'), '--name', 'from-server', '--server-path', '--json'));
    assert.equal(image.status.state, 'ready');

    // Outside the import directory, and a file that is no kernel: refused, and nothing is left.
    const shadow = await run('kernel', 'import', '/etc/shadow', '--name', 'shadow', '--server-path');
    assert.equal(shadow.code, 1, shadow.stderr);
    assert.match(shadow.stderr, /FY_IMPORT_PATH/);
    const notKernel = await run('kernel', 'import', join(dir, 'rootfs', 'etc', 'hostname'), '--name', 'not-a-kernel');
    assert.match(notKernel.stderr, /FY_KERNEL_FORMAT/);
    const kernels = json<Array<{ name: string }>>(await run('kernel', 'list', '--json')).map((k) => k.name).sort();
    assert.deepEqual(kernels, ['copied', 'uploaded'], 'a failed import removes the kernel it created');
    const etc = await run('image', 'import', '/etc', '--name', 'etc', '--server-path');
    assert.match(etc.stderr, /FY_IMPORT_PATH/);
    assert.equal(json<unknown[]>(await run('image', 'list', '--name', 'etc', '--json')).length, 0);
  });

  it('fills an image an interrupted import left queued, under the same name', async () => {
    const token = cp.adminToken ?? '';
    const res = await fetch(`${api}/api/v1/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'resumed' }),
    });
    const queued = (await res.json()) as { id: string };
    const filled = json<{ id: string; status: { state: string } }>(await run('image', 'import', join(dir, 'rootfs'), '--name', 'resumed', '--json'));
    assert.deepEqual([filled.id, filled.status.state], [queued.id, 'ready']);
  });

  // An appliance no host can take (more CPUs than any host has) stays pending, so --wait runs out.
  it('exits 6 when --wait runs out of time', async () => {
    assert.equal((await run('image', 'import', join(dir, 'rootfs'), '--name', 'for-huge')).code, 0);
    const res = await run('appliance', 'create', 'huge', '--image', 'for-huge', '--virtualization', 'sim', '--cpu', '256', '--wait', '--timeout', '1');
    assert.equal(res.code, 6, res.stderr);
    assert.match(res.stderr, /^error: CLI_TIMEOUT: /m);
    assert.equal((await run('appliance', 'rm', 'huge', '--wait', '--timeout', '30')).code, 0);
  });

  it('runs the server until SIGTERM and then stops cleanly', async () => {
    const server = spawn(process.execPath, [BIN, 'server', '--data-dir', join(dir, 'served'), '--listen', '127.0.0.1:0'], {
      env: { ...process.env, FLEETYARD_DATABASE_URL: '', FLEETYARD_NATS_URL: '' },
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    // No token given: the CLI finds the bootstrap admin's token in the server's data directory.
    const res = await cli(['resource', 'list', '--json'], url, { FLEETYARD_DATA_DIR: join(dir, 'served'), FLEETYARD_TOKEN: '' });
    assert.equal(json<unknown[]>(res).length, 1);
    server.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /stopped/);
  });
});
