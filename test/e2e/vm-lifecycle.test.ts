import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Kernel } from '../../src/domain/kernel.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import { tapName } from '../../src/drivers/qemu/paths.ts';
import { qmpSession } from '../../src/drivers/qemu/vm-control.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { linkExists } from '../../src/network/bridge.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, qemuPids, type TestNetwork } from '../support/host-leaks.ts';
import { testKernel } from '../support/test-kernel.ts';

/**
 * VMs through the whole system: a kernel registered over the API, the base image, an appliance
 * asking for qemu. The agent gives it a disk clone of the image's base disk, the qemu driver boots
 * it; it answers on its address, stops and starts, and once deleted the host holds nothing of it
 * (no QEMU, tap, VM dir or disk clone). And an appliance moves from a container to a VM and back
 * with its data (storage/convert.ts), files it wrote served by the VM's httpd from its disk.
 */
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
const ids: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-vm-e2e-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
  const k = testKernel();
  // Named 'default': what an appliance without a kernel of its own boots (the move below).
  kernel = await api.uploadKernel('default', k);
  image = await api.uploadImage('base', baseImageTar());
});

after(async () => {
  for (const id of ids) await api.call('DELETE', `/api/v1/appliances/${id}`).catch(() => undefined);
  await api.waitAppliances(ids, (a) => a === undefined, 'cleanup', 60_000).catch(() => undefined);
  await cp.stop();
  for (const id of ids) {
    for (const pid of await qemuPids(id)) process.kill(pid, 'SIGKILL');
    await execAllowFail('ip', ['link', 'del', tapName(id)]);
  }
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const phase = (p: string) => (a: Appliance | undefined) => a?.status.phase === p || a?.status.phase === 'failed';

let image: Image;
let kernel: Kernel;

test('a VM runs, is started again after its guest powers off, stops, starts and is deleted with nothing left behind', async () => {
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', {
    name: 'vm-a',
    imageId: image.id,
    kernelId: kernel.id,
    requirements: { virtualization: 'qemu', memoryMiB: 128 },
  });
  const id = created.id;
  ids.push(id);

  await api.waitAppliances([id], phase('running'), 'the VM running', 120_000);
  const running = await api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
  assert.equal(running.status.phase, 'running', running.status.message ?? '');
  assert.equal(running.status.virtualization, 'qemu');
  const body = await fetch(`http://${running.status.address}/`).then((r) => r.text());
  assert.match(body, /<h1>vm-a<\/h1>/);
  // Its NoCloud seed, as the control plane planned it, on the volume QEMU reads.
  const cidata = join(dataDir, 'run', 'qemu', 'vms', id, 'cidata.img');
  assert.match((await exec('mtype', ['-i', cidata, '::meta-data'])).stdout, new RegExp(`instance-id: ${id}`));
  assert.match((await exec('mtype', ['-i', cidata, '::user-data'])).stdout, /^#cloud-config\nhostname: vm-a\n/);
  assert.ok((await exec('mtype', ['-i', cidata, '::network-config'])).stdout.includes(`- ${running.status.address}/`));

  // Somebody presses the VM's power button behind Fleetyard's back: QEMU's events reach the
  // event log through the agent, and the appliance, which should run, is started again.
  const qmp = running.status.handle.qmp;
  assert.equal(typeof qmp, 'string');
  await qmpSession(qmp as string, (c) => c.execute('system_powerdown'), 5_000);
  const runtimeEvents = async () =>
    (await api.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?objectId=${id}&limit=1000`)).items.filter((e) => e.type.startsWith('appliance.runtime.'));
  await eventually(async () => (await runtimeEvents()).some((e) => e.type === 'appliance.runtime.shutdown'), 'the shutdown in the event log', 60_000, 100);
  const [powerdown, shutdown] = await runtimeEvents();
  assert.equal(powerdown?.type, 'appliance.runtime.powerdown');
  assert.deepEqual({ guest: shutdown?.data.guest, reason: shutdown?.data.reason }, { guest: true, reason: 'guest-shutdown' });
  await api.waitAppliances([id], (a) => (a?.status.phase === 'running' && a.status.startedAt !== running.status.startedAt) || a?.status.phase === 'failed', 'the VM started again', 120_000);
  const again = await api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
  assert.equal(again.status.phase, 'running', again.status.message ?? '');
  assert.equal((await qemuPids(id)).length, 1);

  await api.ok('POST', `/api/v1/appliances/${id}/stop`);
  await api.waitAppliances([id], phase('stopped'), 'the VM stopped', 60_000);
  assert.deepEqual(await qemuPids(id), []);
  await api.ok('POST', `/api/v1/appliances/${id}/start`);
  await api.waitAppliances([id], phase('running'), 'the VM running again', 120_000);
  assert.equal((await api.ok<Appliance>('GET', `/api/v1/appliances/${id}`)).status.phase, 'running');

  await api.ok('DELETE', `/api/v1/appliances/${id}`);
  await api.waitAppliances([id], (a) => a === undefined, 'the VM deleted', 60_000);
  assert.deepEqual(await qemuPids(id), [], 'no QEMU left');
  assert.equal(linkExists(tapName(id)), false, 'no tap left');
  assert.equal(existsSync(join(dataDir, 'run', 'qemu', 'vms', id)), false, 'no VM dir left');
  assert.equal(existsSync(join(dataDir, 'storage', 'local', 'clones', id)), false, 'no disk clone left');
});

test('moves from a container to a VM and back with its data', async () => {
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'mover', imageId: image.id });
  const id = created.id;
  ids.push(id);
  await api.waitAppliances([id], phase('running'), 'the container running');
  const runc = (args: string[]) => exec('runc', ['--root', join(dataDir, 'run', 'container', 'runc'), ...args]);
  await runc(['exec', id, '/bin/sh', '-c', 'echo kept > /www/kept.txt && rm /etc/nsswitch.conf']);

  const onVm = await api.moveAppliance(id, 'qemu');
  assert.equal(onVm.status.virtualization, 'qemu');
  assert.equal(onVm.status.lastMove?.outcome, 'moved', onVm.status.lastMove?.reason ?? '');
  assert.equal((await fetch(`http://${onVm.status.address}/kept.txt`).then((r) => r.text())), 'kept\n', 'the VM serves what the container wrote');
  assert.equal((await qemuPids(id)).length, 1);

  const back = await api.moveAppliance(id, 'container');
  assert.equal(back.status.virtualization, 'container');
  assert.deepEqual(await qemuPids(id), [], 'nothing of it is left as a VM');
  assert.equal((await runc(['exec', id, 'cat', '/www/kept.txt'])).stdout, 'kept\n');
  assert.notEqual((await runc(['exec', id, '/bin/sh', '-c', 'test -e /etc/nsswitch.conf; echo $?'])).stdout, '0\n', 'a deletion is kept too');
});
