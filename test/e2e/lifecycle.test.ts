import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * The main job end to end on the real container driver: 20 appliances are created, run, stopped
 * and deleted through the HTTP API, and afterwards the host holds nothing of any of them.
 */
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
const ids: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-e2e-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  // Best effort even when a test failed: delete what is left, then stop and remove everything.
  await api.deleteAppliancesQuietly(ids);
  await cp.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

test('20 appliances run, stop and are deleted with nothing left behind', async () => {
  const image = await api.uploadImage('base', baseImageTar());
  const created = await Promise.all(
    Array.from({ length: 20 }, (_, i) => api.ok<Appliance>('POST', '/api/v1/appliances', { name: `app-${i}`, imageId: image.id })),
  );
  ids.push(...created.map((a) => a.id));
  await api.waitAppliances(ids, (a) => a?.status.phase === 'running', 'all 20 running');

  const running = await Promise.all(ids.map((id) => api.ok<Appliance>('GET', `/api/v1/appliances/${id}`)));
  const addresses = new Set(running.map((a) => a.status.address));
  assert.equal(addresses.size, 20, 'every appliance has its own address');
  for (const a of running.slice(0, 3)) {
    const body = await fetch(`http://${a.status.address}/`).then((r) => r.text());
    assert.match(body, new RegExp(a.spec.hostname), 'the appliance answers over its bridge address');
  }
  const slots = await api.ok<{ items: unknown[] }>('GET', '/api/v1/resources?type=container');
  assert.equal(slots.items.length, 20, 'one container slot per appliance');

  await Promise.all(ids.map((id) => api.ok('POST', `/api/v1/appliances/${id}/stop`)));
  await api.waitAppliances(ids, (a) => a?.status.phase === 'stopped', 'all 20 stopped');
  const afterStop = await api.ok<{ items: unknown[] }>('GET', '/api/v1/resources?type=container');
  assert.equal(afterStop.items.length, 0, 'stopping gives every slot back');

  await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
  await api.waitAppliances(ids, (a) => a === undefined, 'all 20 deleted');

  const leaks = await findLeaks(ids, join(dataDir, 'run', 'container'), { storageRoot: join(dataDir, 'storage', 'local') });
  assert.deepEqual(leaks, [], 'no mount, namespace, veth, cgroup, process or clone directory remains');
  const events = await api.ok<{ items: Array<{ type: string; objectId: string }> }>('GET', `/api/v1/events?type=appliance.deleted&limit=1000`);
  assert.equal(new Set(events.items.map((e) => e.objectId)).size, 20, 'every deletion was announced');
});
