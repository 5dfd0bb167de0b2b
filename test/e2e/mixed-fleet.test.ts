import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Network } from '../../src/domain/network.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { PhysicalDriver } from '../../src/drivers/physical/physical-driver.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { removeBridge } from '../../src/network/bridge.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, qemuPids, type TestNetwork } from '../support/host-leaks.ts';
import { createPxeLab, type PxeLab } from '../support/physical/pxe-lab.ts';
import { ipmitool, startSimServer, type SimServer } from '../support/physical/sim-bmc.ts';
import { testKernel } from '../support/test-kernel.ts';

/**
 * One control plane, every kind of machine: this host runs a container and a VM, and its boot
 * service network-boots a simulated physical server (an ipmi_sim BMC whose chassis starts a
 * diskless QEMU on a tap in a lab network namespace). All three appliances are made through the
 * API and reach running; `fleetyard resource list` then shows the host, the container slot, the
 * VM and the physical server side by side, each with its virtualization, power state (the
 * server's read from its BMC) and appliance. Stopping the physical appliance powers the server
 * off, and the list says so. Then one image anywhere: a container moves onto that server and
 * back, keeping its address and what it wrote.
 *
 * Everything (appliances, namespace, bridge, BMC, QEMU, files) is removed in `after`, pass or fail.
 */
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));

let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let lab: PxeLab;
let server: SimServer | undefined;
let dataDir: string;
let image: Image;
const ids: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-mixed-'));
  net = await makeTestNetwork();
  lab = await createPxeLab();
  cp = await startControlPlane({
    dataDir,
    listen: '127.0.0.1:0',
    networkBridge: net.bridge,
    networkCidr: net.cidr,
    bootNetworks: [lab.network],
    powerPollMs: 2_000,
  });
  api = new TestApi(cp.url, cp.adminToken);
  const k = testKernel();
  await api.uploadKernel('default', k);
  image = await api.uploadImage('base', baseImageTar());
  const tap = await lab.addTap('tap-pm1');
  server = await startSimServer({ name: 'pm1', dir: join(dataDir, 'sim', 'pm1'), netns: lab.netns, tap, mac: '52:54:00:f2:00:01' });
});

after(async () => {
  try {
    if (api) {
      for (const id of ids) await api.call('DELETE', `/api/v1/appliances/${id}`).catch(() => undefined);
      await api.waitAppliances(ids, (a) => a === undefined, 'cleanup', 60_000).catch(() => undefined);
    }
    await cp?.stop();
    // The boot service's daemons outlive a stopped control plane on purpose (a restarted one
    // adopts them, and machines keep booting meanwhile); the test ends them as an operator would.
    await new PhysicalDriver({ stateDir: join(dataDir, 'run', 'physical'), networks: [lab.network] }).shutdown();
    for (const id of ids) for (const pid of await qemuPids(id)) process.kill(pid, 'SIGKILL');
  } finally {
    if (lab) await removeBridge(lab.bridge); // the host-side bridge of the boot network's containers
    await server?.stop();
    await lab?.cleanup();
    await net?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const left = (await exec('ps', ['-eo', 'pid,args'])).stdout.split('\n').filter((l) => l.includes(dataDir));
  assert.deepEqual(left, [], 'processes left behind');
});

/** `fleetyard resource list` as an operator runs it, parsed into rows keyed by column header. */
async function resourceList(): Promise<Record<string, string>[]> {
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, 'resource', 'list'],
      { env: { ...process.env, FLEETYARD_API: cp.url, FLEETYARD_TOKEN: cp.adminToken ?? '', FORCE_COLOR: '0' }, timeout: 60_000 },
      (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve({ stdout: out })),
    );
  });
  return parseTable(stdout);
}

/**
 * Rows of the CLI's borderless table: each column starts where its header starts (the headers
 * are single words; the cells may hold spaces, as "host: container,qemu" or "128 MiB" do).
 */
function parseTable(text: string): Record<string, string>[] {
  const [head, ...rows] = text.split('\n').filter((l) => l.trim().length > 0);
  assert.ok(head, 'no table printed');
  const starts = [...head.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return rows.map((line) =>
    Object.fromEntries(starts.map((c, i) => [c.name, line.slice(c.at, starts[i + 1]?.at ?? line.length).trim()])),
  );
}

test('container, VM and physical server side by side in `fleetyard resource list`', async (t) => {
  const lan = await api.ok<Network>('GET', `/api/v1/networks/${(await api.ok<{ items: Network[] }>('GET', `/api/v1/networks?name=${lab.network.name}`)).items[0]?.id}`);
  assert.equal(lan.spec.gateway, lab.network.serverAddress, 'the boot network is an appliance network too');
  assert.deepEqual(lan.spec.excluded, [lab.network.discoveryRange]);

  const [host] = (await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
  assert.ok(host);
  for (const v of ['container', 'qemu', 'physical']) assert.ok(host.spec.virtualizations.includes(v as never), `the host offers ${v}`);
  const pm = await api.ok<Resource>('POST', '/api/v1/resources', {
    name: 'pm1',
    hostId: host.id,
    mac: server?.mac,
    bmc: { address: server?.bmc.address, port: server?.bmc.port, user: server?.bmc.user, password: server?.bmc.password },
    capacity: { cpu: 1, memoryMiB: 256, diskMiB: 0 },
  });
  // Registered powered off; the power monitor reads that from the BMC.
  await eventually(async () => (await api.ok<Resource>('GET', `/api/v1/resources/${pm.id}`)).status.powerState === 'off', 'the BMC read as off', 30_000, 100);

  const make = (name: string, virtualization: string, extra: Record<string, unknown> = {}) =>
    api.ok<Appliance>('POST', '/api/v1/appliances', { name, imageId: image.id, requirements: { virtualization, memoryMiB: 128 }, ...extra });
  const appliances = {
    container: await make('mixed-ct', 'container'),
    qemu: await make('mixed-vm', 'qemu'),
    physical: await make('mixed-pm', 'physical', { network: lab.network.name }),
  };
  ids.push(...Object.values(appliances).map((a) => a.id));
  const t0 = Date.now();
  await api.waitAppliances(ids, (a) => a?.status.phase === 'running' || a?.status.phase === 'failed', 'all three running', 180_000);
  t.diagnostic(`all three running after ${Date.now() - t0} ms`);
  for (const a of Object.values(appliances)) {
    const now = await api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`);
    assert.equal(now.status.phase, 'running', `${a.name}: ${now.status.message ?? ''}`);
  }
  const metal = await api.ok<Appliance>('GET', `/api/v1/appliances/${appliances.physical.id}`);
  assert.equal(metal.status.resourceId, pm.id, 'the physical appliance runs on the registered server');
  assert.equal((await ipmitool(server!.bmc, 'chassis', 'power', 'status')).stdout.trim(), 'Chassis Power is on');
  assert.ok((await server!.qemuPid()) !== null, 'the simulated server runs');
  assert.match(await server!.serialLog(), /fleetyard-appliance mixed-pm up/);

  await eventually(async () => (await api.ok<Resource>('GET', `/api/v1/resources/${pm.id}`)).status.powerState === 'on', 'the BMC read as on', 30_000, 100);
  const rows = await resourceList();
  for (const r of rows) t.diagnostic(JSON.stringify(r));
  const byAppliance = (id: string) => rows.find((r) => r.APPLIANCE === id);
  const hostRow = rows.find((r) => r.ID === host.id);
  assert.equal(hostRow?.TYPE, 'physical');
  assert.match(hostRow?.VIRT ?? '', /^host: /);
  for (const v of ['container', 'qemu', 'physical']) assert.match(hostRow?.VIRT ?? '', new RegExp(v));
  assert.equal(hostRow?.POWER, 'on');
  assert.deepEqual(
    { TYPE: byAppliance(appliances.container.id)?.TYPE, VIRT: byAppliance(appliances.container.id)?.VIRT, POWER: byAppliance(appliances.container.id)?.POWER },
    { TYPE: 'container', VIRT: 'container', POWER: 'on' },
  );
  assert.deepEqual(
    { TYPE: byAppliance(appliances.qemu.id)?.TYPE, VIRT: byAppliance(appliances.qemu.id)?.VIRT, POWER: byAppliance(appliances.qemu.id)?.POWER },
    { TYPE: 'vm', VIRT: 'qemu', POWER: 'on' },
  );
  assert.deepEqual(byAppliance(appliances.physical.id), { ...byAppliance(appliances.physical.id), ID: pm.id, NAME: 'pm1', TYPE: 'physical', VIRT: 'physical', STATE: 'active', POWER: 'on' });

  // Stopped: the server is powered off through its BMC, goes back to idle, and the list says off.
  await api.ok('POST', `/api/v1/appliances/${appliances.physical.id}/stop`);
  await api.waitAppliances([appliances.physical.id], (a) => a?.status.phase === 'stopped', 'the physical appliance stopped', 60_000);
  assert.equal(await server!.qemuPid(), null, 'the simulated server is off');
  await eventually(async () => (await api.ok<Resource>('GET', `/api/v1/resources/${pm.id}`)).status.powerState === 'off', 'the BMC read as off again', 30_000, 100);
  const after = (await resourceList()).find((r) => r.ID === pm.id);
  assert.deepEqual({ STATE: after?.STATE, POWER: after?.POWER, APPLIANCE: after?.APPLIANCE }, { STATE: 'idle', POWER: 'off', APPLIANCE: '-' });
});

test('one image anywhere: a container on the boot network moves onto the physical server and back, with its data', async () => {
  // The boot network's bridge is in the lab namespace; a container on that network gets a
  // bridge of the same name in the host's namespace (removed in `after`). Its address, name and
  // data go with it to the server, which boots them over the network, and back.
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'mixed-mv', imageId: image.id, network: lab.network.name });
  ids.push(created.id);
  await api.waitAppliances([created.id], (a) => a?.status.phase === 'running' || a?.status.phase === 'failed', 'the container running', 60_000);
  const container = await api.ok<Appliance>('GET', `/api/v1/appliances/${created.id}`);
  assert.equal(container.status.phase, 'running', container.status.message ?? '');
  const runc = (args: string[]) => exec('runc', ['--root', join(dataDir, 'run', 'container', 'runc'), ...args]);
  await runc(['exec', created.id, '/bin/sh', '-c', 'echo carried > /www/carried.txt']);

  const onMetal = await api.moveAppliance(created.id, 'physical');
  assert.equal(onMetal.status.virtualization, 'physical');
  assert.equal(onMetal.status.lastMove?.outcome, 'moved', onMetal.status.lastMove?.reason ?? '');
  assert.equal(onMetal.status.address, container.status.address, 'the address goes with it');
  const fromLab = await execAllowFail('ip', ['netns', 'exec', lab.netns, 'curl', '-s', '--noproxy', '*', '-m', '3', `http://${onMetal.status.address}/carried.txt`]);
  assert.equal(fromLab.stdout, 'carried\n', 'the server serves what the container wrote');
  assert.match(await server!.serialLog(), /fleetyard-appliance mixed-mv up/);

  const back = await api.moveAppliance(created.id, 'container');
  assert.equal(back.status.virtualization, 'container');
  assert.equal(await server!.qemuPid(), null, 'the server is off again');
  assert.equal((await runc(['exec', created.id, 'cat', '/www/carried.txt'])).stdout, 'carried\n');
});
