import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { ContainerDriver } from '../../src/drivers/container/container-driver.ts';
import type { Observation, RuntimeSpec } from '../../src/drivers/driver.ts';
import { QemuDriver } from '../../src/drivers/qemu/qemu-driver.ts';
import { tapName } from '../../src/drivers/qemu/paths.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { makeTestNetwork, qemuPids, type TestNetwork } from '../support/host-leaks.ts';

/**
 * A move whose rollback fails tells the truth. A container is moved to a VM that cannot boot (no
 * kernel yet); the rollback converts its data back and then cannot start the container either
 * (the container driver is told to refuse starts: a fake at the driver boundary, around the real
 * runc driver). Before, the failed rollback threw, the move ran again, saw the appliance "already"
 * on the target, and recorded `moved`; its next start booted the VM over data that had been
 * converted back. Now the move ends `rollback-failed`, with both reasons, and waits for an admin;
 * started again, it runs where its data is (the container form the rollback converted it back
 * to) and serves what it wrote before the move.
 */
class RefusingContainers extends ContainerDriver {
  refuse = false;
  override async ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    if (this.refuse && desired === 'running') throw new Error('the container driver refuses to start anything (test)');
    return super.ensure(spec, desired);
  }
}

let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let id: string | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'fy-rollback-'));
const containers = new RefusingContainers({ stateDir: join(dataDir, 'run', 'container') });

before(async () => {
  net = await makeTestNetwork();
  cp = await startControlPlane({
    dataDir,
    listen: '127.0.0.1:0',
    networkBridge: net.bridge,
    networkCidr: net.cidr,
    drivers: [containers, new QemuDriver({ stateDir: join(dataDir, 'run', 'qemu') })],
  });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  containers.refuse = false;
  if (id) {
    await api.call('DELETE', `/api/v1/appliances/${id}`).catch(() => undefined);
    await api.waitAppliances([id], (a) => a === undefined, 'cleanup', 60_000).catch(() => undefined);
  }
  await cp?.stop();
  if (id) {
    for (const pid of await qemuPids(id)) process.kill(pid, 'SIGKILL');
    await execAllowFail('ip', ['link', 'del', tapName(id)]);
  }
  await net?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a move whose rollback fails is recorded as failed, and nothing boots over data converted back', async () => {
  const image = await api.uploadImage('base', baseImageTar());
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'mover', imageId: image.id });
  id = created.id;
  await api.waitAppliances([id], (a) => a?.status.phase === 'running', 'the container running');
  await exec('runc', ['--root', join(dataDir, 'run', 'container', 'runc'), 'exec', id, '/bin/sh', '-c', 'echo kept > /www/kept.txt']);

  containers.refuse = true;
  const asked = await api.ok<Appliance>('POST', `/api/v1/appliances/${id}/move`, { to: 'qemu' });
  const moveId = asked.spec.move?.id as string;
  let ended: Appliance | undefined;
  await api.waitAppliances([id], (a) => {
    if (a?.status.lastMove?.id === moveId) ended = a;
    return ended !== undefined;
  }, 'the move ended', 120_000);
  const a = ended as Appliance;
  assert.equal(a.status.lastMove?.outcome, 'rollback-failed', `recorded as ${a.status.lastMove?.outcome}: ${a.status.message}`);
  assert.equal(a.status.phase, 'failed');
  assert.match(a.status.lastMove?.reason ?? '', /kernel/, 'the reason the move failed');
  assert.match(a.status.lastMove?.reason ?? '', /refuses to start/, 'and the reason the rollback failed');

  // It waits for an admin: nothing tries the move, or a start, again on its own.
  const events = async () => (await cp.store.read.events.list({ objectId: id, limit: 1000 })).map((e) => e.type);
  const before = await events();
  await new Promise((r) => setTimeout(r, 3_000));
  assert.deepEqual(await events(), before, 'nothing happened to it meanwhile');

  // An admin starts it again (a stop and a start): it runs with the data it had.
  containers.refuse = false;
  await api.ok('POST', `/api/v1/appliances/${id}/stop`);
  await api.waitAppliances([id], (x) => x?.status.phase === 'stopped', 'stopped', 60_000);
  await api.ok('POST', `/api/v1/appliances/${id}/start`);
  let running: Appliance | undefined;
  await api.waitAppliances([id], (x) => {
    if (x?.status.phase === 'running') running = x;
    return running !== undefined;
  }, 'running again', 120_000);
  assert.equal(running?.status.virtualization, 'container', 'where its data is');
  assert.equal(await fetch(`http://${running?.status.address}/kept.txt`).then((r) => r.text()), 'kept\n', 'it serves what it wrote before the move');
});
