import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { mountPoints } from '../../src/drivers/container/overlay.ts';
import { exec } from '../../src/host/exec.ts';
import { netnsName } from '../../src/network/netns.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { findLeaks, makeTestNetwork } from '../support/host-leaks.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';

/**
 * The server dies (SIGKILL) while 10 appliances are starting. Started again on the same data
 * directory, every appliance converges to running, with exactly one container, namespace, mount,
 * slot and address each: nothing leaked, nothing duplicated.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'fy-crash-'));
const stateDir = join(dataDir, 'run', 'container');
const ids: string[] = [];
let server: ServerProcess | undefined;
const net = await makeTestNetwork();

after(async () => {
  try {
    if (server) {
      const api = new TestApi(server.url, server.token);
      await api.deleteAppliancesQuietly(ids);
      await server.kill('SIGTERM');
    }
  } finally {
    await net.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a SIGKILL in the middle of starting 10 appliances heals on restart', async () => {
  const env = {
    FLEETYARD_DATA_DIR: dataDir,
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
  };
  server = new ServerProcess(env);
  await server.start();
  let api = new TestApi(server.url, server.token);
  const image = await api.uploadImage('base', baseImageTar());
  const created = await Promise.all(
    Array.from({ length: 10 }, (_, i) => api.ok<Appliance>('POST', '/api/v1/appliances', { name: `crash-${i}`, imageId: image.id })),
  );
  ids.push(...created.map((a) => a.id));
  // Kill as soon as the first one runs: the rest are somewhere between accepted and started.
  await api.waitAppliances(ids.slice(0, 1), (a) => a?.status.phase === 'running', 'a first appliance running', 30_000);
  await server.kill('SIGKILL');

  server = new ServerProcess(env);
  await server.start();
  api = new TestApi(server.url, server.token);
  await api.waitAppliances(ids, (a) => a?.status.phase === 'running', 'all 10 running after the restart');

  const appliances = await Promise.all(ids.map((id) => api.ok<Appliance>('GET', `/api/v1/appliances/${id}`)));
  assert.equal(new Set(appliances.map((a) => a.status.address)).size, 10, 'ten distinct addresses');
  const slots = await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=container');
  assert.equal(slots.items.length, 10, 'exactly one slot per appliance');
  assert.deepEqual(
    slots.items.map((s) => s.status.applianceId).sort(),
    [...ids].sort(),
    'each slot belongs to one of the appliances',
  );
  const runc = await exec('runc', ['--root', join(stateDir, 'runc'), 'list', '-q']);
  assert.deepEqual(runc.stdout.split('\n').filter(Boolean).sort(), [...ids].sort(), 'exactly one container per appliance');
  const netns = (await exec('ip', ['netns', 'list'])).stdout;
  for (const id of ids) {
    assert.equal(netns.split('\n').filter((l) => l.startsWith(netnsName(id))).length, 1, `one namespace for ${id}`);
  }
  const mounts = await mountPoints();
  for (const id of ids) assert.equal(mounts.filter((m) => m.includes(id)).length, 1, `one root mount for ${id}`);
  const clones = readdirSync(join(dataDir, 'storage', 'local', 'clones'));
  assert.deepEqual(clones.sort(), [...ids].sort(), 'one clone per appliance');

  await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
  await api.waitAppliances(ids, (a) => a === undefined, 'all deleted');
  assert.deepEqual(await findLeaks(ids, stateDir, { storageRoot: join(dataDir, 'storage', 'local') }), []);
});
