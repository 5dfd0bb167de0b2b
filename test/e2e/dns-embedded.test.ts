import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { dig } from '../support/dig.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * The embedded DNS backend end to end: a real container appliance on the `default` network
 * (zone fleetyard.internal), its names asked of the dnsmasq on the gateway with Debian's dig and
 * from inside the container with busybox's nslookup, through a move and a delete.
 */
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
let app: Appliance | undefined;
let stopped = false;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-dns-e2e-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  if (app) await api.deleteAppliancesQuietly([app.id]);
  if (!stopped) await cp.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const runc = (args: string[]) => exec('runc', ['--root', join(dataDir, 'run', 'container', 'runc'), ...args]);
const dnsmasqs = async () => (await execAllowFail('pgrep', ['-f', `hostsdir=${join(dataDir, 'dns')}`])).stdout.trim();

describe('names of appliances on the embedded DNS backend', () => {
  it('resolve (A and PTR) when the appliance runs, from the host and from inside it', async () => {
    const image = await api.uploadImage('base', baseImageTar());
    app = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'web', imageId: image.id });
    await api.waitAppliances([app.id], (a) => a?.status.phase === 'running', 'running');
    app = await api.ok<Appliance>('GET', `/api/v1/appliances/${app.id}`);
    const address = app.status.address as string;
    // Reported running only once its names answer: no waiting here.
    const a = await dig(net.gateway, 53, 'web.fleetyard.internal', 'A');
    assert.deepEqual([a.status, a.values, a.authoritative], ['NOERROR', [address], true]);
    const ptr = await dig(net.gateway, 53, address, 'PTR');
    assert.deepEqual([ptr.status, ptr.values], ['NOERROR', ['web.fleetyard.internal']]);

    const resolv = (await runc(['exec', app.id, 'cat', '/etc/resolv.conf'])).stdout;
    assert.match(resolv, new RegExp(`^nameserver ${net.gateway.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(resolv, /^search fleetyard\.internal$/m);
    const inside = (await runc(['exec', app.id, 'nslookup', 'web.fleetyard.internal'])).stdout;
    assert.match(inside, new RegExp(`Address:? *(1: )?${address.replaceAll('.', '\\.')}`));
  });

  it('still resolve after a move to another virtualization and back', async () => {
    assert.ok(app);
    const onSim = await api.moveAppliance(app.id, 'sim');
    assert.equal(onSim.status.lastMove?.outcome, 'moved');
    assert.deepEqual((await dig(net.gateway, 53, 'web.fleetyard.internal', 'A')).values, [app.status.address]);
    const back = await api.moveAppliance(app.id, 'container');
    assert.equal(back.status.virtualization, 'container');
    assert.deepEqual((await dig(net.gateway, 53, 'web.fleetyard.internal', 'A')).values, [app.status.address]);
    assert.deepEqual((await dig(net.gateway, 53, app.status.address as string, 'PTR')).values, ['web.fleetyard.internal']);
  });

  it('are gone (NXDOMAIN) once the appliance is deleted', async () => {
    assert.ok(app);
    const address = app.status.address as string;
    const deletedId = app.id;
    await api.ok('DELETE', `/api/v1/appliances/${app.id}`);
    await api.waitAppliances([app.id], (a) => a === undefined, 'deleted');
    app = undefined;
    // The hosts file was rewritten before the row went; dnsmasq reads it through inotify.
    await eventually(async () => (await dig(net.gateway, 53, 'web.fleetyard.internal', 'A')).status === 'NXDOMAIN', 'NXDOMAIN for web');
    assert.equal((await dig(net.gateway, 53, address, 'PTR')).status, 'NXDOMAIN');
    const events = await api.ok<{ items: Array<{ type: string; data: { names?: string[] } }> }>('GET', `/api/v1/events?objectId=${deletedId}&limit=1000`);
    const dnsEvents = events.items.filter((e) => e.type.startsWith('appliance.dns-'));
    assert.deepEqual(dnsEvents.at(-1), { ...dnsEvents.at(-1), type: 'appliance.dns-removed', data: { names: ['web.fleetyard.internal'], requestId: null } });
    assert.ok(dnsEvents.some((e) => e.type === 'appliance.dns-published'), 'published at each start (the first one and after each move)');
  });

  it('leave no dnsmasq behind once the control plane stops', async () => {
    assert.notEqual(await dnsmasqs(), '', 'the network has its DNS server while it runs');
    stopped = true;
    await cp.stop();
    assert.equal(await dnsmasqs(), '');
  });
});
