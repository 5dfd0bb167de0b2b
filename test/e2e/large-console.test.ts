import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { containerPaths } from '../../src/drivers/container/paths.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { natsNamespace } from '../support/engines.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * A console bigger than a bus message. With NATS, reading 1 MiB of an appliance's console once
 * made the agent's reply exceed NATS's max_payload; the failed respond() was an unhandled
 * rejection and the whole control plane exited. The console now travels in chunks: the owner
 * gets exactly the last 1 MiB, byte for byte, and the control plane keeps serving.
 */
const nats = natsNamespace();
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
const ids: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-console-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr, natsUrl: nats.url, natsNamespace: nats.namespace });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  await api?.deleteAppliancesQuietly(ids);
  await cp?.stop();
  await net?.cleanup();
  await nats.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the last MiB of a 1.5 MiB console comes back whole over NATS, and the control plane lives on', async () => {
  const image = await api.uploadImage('base', baseImageTar());
  // 1.5 MiB of numbered lines (so any misplaced chunk shows), then it keeps running.
  const script = 'i=0; while [ $i -lt 24000 ]; do printf "line %07d %s\\n" $i ................................................; i=$((i+1)); done; echo console-written; exec sleep 3600';
  const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'chatty', imageId: image.id, command: ['/bin/sh', '-c', script] });
  ids.push(a.id);
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
  const consoleLog = containerPaths(join(dataDir, 'run', 'container')).consoleLog(a.id);
  const deadline = Date.now() + 60_000;
  while (!readFileSync(consoleLog, 'utf8').includes('console-written')) {
    assert.ok(Date.now() < deadline, 'the appliance wrote its console');
    await new Promise((r) => setTimeout(r, 100));
  }
  const onDisk = readFileSync(consoleLog);
  assert.ok(onDisk.length > 1_048_576 + 262_144, `the console is ${onDisk.length} bytes, more than one bus message`);

  const res = await fetch(`${cp.url}/api/v1/appliances/${a.id}/logs?bytes=1048576`, { headers: { authorization: `Bearer ${cp.adminToken}` } });
  assert.equal(res.status, 200);
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(body.length, 1_048_576);
  assert.ok(body.equals(onDisk.subarray(onDisk.length - 1_048_576)), 'the body is the last MiB of the console, in order');

  const small = await fetch(`${cp.url}/api/v1/appliances/${a.id}/logs?bytes=100`, { headers: { authorization: `Bearer ${cp.adminToken}` } });
  assert.equal((await small.text()).length, 100);
  assert.equal((await fetch(`${cp.url}/healthz`)).status, 200, 'the control plane still serves');
});

test('a reader follows the console from where it stopped, and learns when the console began anew', async () => {
  const [id] = ids;
  assert.ok(id, 'the chatty appliance of the test before');
  const consoleLog = containerPaths(join(dataDir, 'run', 'container')).consoleLog(id);
  const onDisk = readFileSync(consoleLog);
  const read = async (query: string) => {
    const res = await fetch(`${cp.url}/api/v1/appliances/${id}/logs?${query}`, { headers: { authorization: `Bearer ${cp.adminToken}` } });
    assert.equal(res.status, 200);
    const [start, end, size] = ['fy-console-start', 'fy-console-end', 'fy-console-size'].map((h) => Number(res.headers.get(h)));
    return { body: Buffer.from(await res.arrayBuffer()), start, end, size };
  };
  // The tail says where it ends; reading on from there gives the bytes after it, here across chunks.
  const tail = await read('bytes=1000');
  assert.deepEqual([tail.start, tail.end, tail.size], [onDisk.length - 1000, onDisk.length, onDisk.length]);
  const from = 100_000;
  const on = await read(`from=${from}&bytes=400000`);
  assert.deepEqual([on.start, on.end], [from, from + 400_000]);
  assert.ok(on.body.equals(onDisk.subarray(from, from + 400_000)), 'the bytes from the offset, in order');
  // Asking past the end (a console that began anew is shorter than where the reader was) answers
  // nothing, from the console's end: the reader knows to start over.
  const past = await read(`from=${onDisk.length + 5_000}`);
  assert.deepEqual([past.body.length, past.start, past.end, past.size], [0, onDisk.length, onDisk.length, onDisk.length]);
});
