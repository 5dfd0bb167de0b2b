import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Network } from '../../src/domain/network.ts';
import { exec } from '../../src/host/exec.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { dig } from '../support/dig.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { randomUlaPrefix } from '../support/ula-prefix.ts';

/**
 * An IPv6-only network end to end: a real container appliance on a network with an IPv6 pool and
 * no IPv4 one. It gets its IPv6 address alone (no IPv4 address, no ARP), its default route and
 * its resolver through the IPv6 gateway, serves HTTP to the host over IPv6, and its AAAA and PTR
 * records answer from the network's dnsmasq on the IPv6 gateway until it is deleted.
 */
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let six: TestNetwork;
let dataDir: string;
let app: Appliance | undefined;
const prefix = randomUlaPrefix();
const gateway6 = `${prefix}:1`;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-ipv6-only-'));
  net = await makeTestNetwork();
  six = await makeTestNetwork(); // only its bridge name: the network has no IPv4 pool
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  if (app) await api.deleteAppliancesQuietly([app.id]);
  await cp.stop();
  await six.cleanup();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const runc = (args: string[]) => exec('runc', ['--root', join(dataDir, 'run', 'container', 'runc'), ...args]);

describe('an appliance on an IPv6-only network', () => {
  it('has its IPv6 address alone, its route and resolver through the IPv6 gateway, and serves over IPv6', async () => {
    const network = await api.ok<Network>('POST', '/api/v1/networks', { name: 'six', bridge: six.bridge, ipv6: { cidr: `${prefix}:/64` }, dns: { backend: 'embedded', zone: 'six.internal' } });
    assert.equal(network.spec.cidr, null);
    const image = await api.uploadImage('base', baseImageTar());
    app = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'web6', imageId: image.id, network: 'six', requirements: { virtualization: 'container' } });
    await api.waitAppliances([app.id], (a) => a?.status.phase === 'running' || a?.status.phase === 'failed', 'settled');
    app = await api.ok<Appliance>('GET', `/api/v1/appliances/${app.id}`);
    assert.equal(app.status.phase, 'running', app.status.message ?? '');
    assert.deepEqual([app.status.address, app.status.address6], [null, `${prefix}:2`]);

    const inside = async (...cmd: string[]) => (await runc(['exec', app?.id as string, ...cmd])).stdout;
    assert.doesNotMatch(await inside('ip', '-4', 'addr', 'show', 'dev', 'eth0'), /inet /, 'no IPv4 address');
    assert.match(await inside('ip', '-6', 'addr', 'show', 'dev', 'eth0'), new RegExp(`inet6 ${prefix}:2/64`));
    assert.match(await inside('ip', '-6', 'route'), new RegExp(`^default via ${gateway6} dev eth0`, 'm'));
    const resolv = await inside('cat', '/etc/resolv.conf');
    assert.match(resolv, new RegExp(`^nameserver ${gateway6}$`, 'm'));
    assert.match(resolv, /^search six\.internal$/m);

    let body = '';
    await eventually(async () => (body = await httpGet(`${prefix}:2`, gateway6).catch(() => '')) !== '', 'HTTP over IPv6');
    assert.match(body, /web6/);
  });

  it('has AAAA and PTR records on the IPv6 gateway, and none once deleted', async () => {
    assert.ok(app);
    const aaaa = await dig(gateway6, 53, 'web6.six.internal', 'AAAA');
    assert.deepEqual([aaaa.status, aaaa.values, aaaa.authoritative], ['NOERROR', [`${prefix}:2`], true]);
    const ptr = await dig(gateway6, 53, `${prefix}:2`, 'PTR');
    assert.deepEqual([ptr.status, ptr.values], ['NOERROR', ['web6.six.internal']]);
    assert.deepEqual((await dig(gateway6, 53, 'web6.six.internal', 'A')).values, [], 'no A record: it has no IPv4 address');
    const nslookup = (await runc(['exec', app.id, 'nslookup', '-type=AAAA', 'web6.six.internal'])).stdout;
    assert.match(nslookup, new RegExp(`${prefix}:2`), 'its own resolver answers it');

    await api.ok('DELETE', `/api/v1/appliances/${app.id}`);
    await api.waitAppliances([app.id], (a) => a === undefined, 'deleted');
    app = undefined;
    await eventually(async () => (await dig(gateway6, 53, 'web6.six.internal', 'AAAA')).status === 'NXDOMAIN', 'NXDOMAIN for web6');
  });
});

function httpGet(host: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, family: 6, port: 80, path: '/', localAddress, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
