import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { exec } from '../../src/host/exec.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * Moving an appliance to another virtualization type keeps its identity, address and data, and a
 * move whose target cannot take it is rolled back to where it ran. (The container ⇄ qemu move,
 * with its data conversion, is covered by the VM tests.)
 */
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
let app: Appliance;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-move-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  if (app) {
    await api.deleteAppliancesQuietly([app.id]);
  }
  await cp.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const runc = (args: string[]) => exec('runc', ['--root', join(dataDir, 'run', 'container', 'runc'), ...args]);

async function move(to: string): Promise<Appliance> {
  const asked = await api.ok<Appliance>('POST', `/api/v1/appliances/${app.id}/move`, { to });
  const moveId = asked.spec.move?.id;
  assert.ok(moveId);
  let done: Appliance | undefined;
  await api.waitAppliances([app.id], (a) => {
    if (a?.status.lastMove?.id === moveId && a.status.phase === 'running') done = a;
    return done !== undefined;
  }, `the move to ${to}`);
  return done as Appliance;
}

describe('moving an appliance', () => {
  it('goes to another virtualization and back with its id, address and data', async () => {
    const image = await api.uploadImage('base', baseImageTar());
    app = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'mover', imageId: image.id });
    await api.waitAppliances([app.id], (a) => a?.status.phase === 'running', 'running');
    app = await api.ok<Appliance>('GET', `/api/v1/appliances/${app.id}`);
    await runc(['exec', app.id, '/bin/sh', '-c', 'echo kept > /root/marker']);

    const onSim = await move('sim');
    assert.equal(onSim.status.virtualization, 'sim');
    assert.equal(onSim.status.lastMove?.outcome, 'moved');
    assert.equal(onSim.status.address, app.status.address, 'the address stays');
    assert.equal(onSim.spec.hostname, app.spec.hostname);
    assert.equal((await runc(['list', '-q'])).stdout.trim(), '', 'nothing of it is left as a container');

    const back = await move('container');
    assert.equal(back.status.virtualization, 'container');
    assert.equal(back.status.address, app.status.address);
    assert.equal((await runc(['exec', app.id, 'cat', '/root/marker'])).stdout.trim(), 'kept');
    const page = await fetch(`http://${back.status.address}/`).then((r) => r.text());
    assert.match(page, /mover/);
  });

  it('is rolled back when the target cannot take it, still running with its data', async () => {
    const rolledBack = await move('physical'); // no physical server is registered
    assert.equal(rolledBack.status.lastMove?.outcome, 'rolled-back');
    assert.match(rolledBack.status.lastMove?.reason ?? '', /physical/);
    assert.equal(rolledBack.status.virtualization, 'container');
    assert.match(rolledBack.status.message ?? '', /rolled back/);
    assert.equal((await runc(['exec', app.id, 'cat', '/root/marker'])).stdout.trim(), 'kept');
    const events = await api.ok<{ items: Array<{ type: string }> }>('GET', `/api/v1/events?objectId=${app.id}&limit=1000`);
    const types = events.items.map((e) => e.type);
    assert.ok(types.includes('appliance.moving') && types.includes('appliance.moved') && types.includes('appliance.move-rolled-back'), types.join(' '));
  });

  it('leaves nothing behind once deleted', async () => {
    await api.ok('DELETE', `/api/v1/appliances/${app.id}`);
    await api.waitAppliances([app.id], (a) => a === undefined, 'deleted');
    assert.deepEqual(await findLeaks([app.id], join(dataDir, 'run', 'container'), { storageRoot: join(dataDir, 'storage', 'local') }), []);
  });
});
