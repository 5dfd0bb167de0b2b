import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { freshMeta } from '../../src/domain/meta.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { hostVethName, netnsName } from '../../src/network/netns.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { dig } from '../support/dig.ts';
import { eventually } from '../support/eventually.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { buildL2Tool, ETH_IPV4, ethernet, ipv4Udp, newToken, sendFrame, sniff } from '../support/l2-tool.ts';
import { randomUlaPrefix } from '../support/ula-prefix.ts';

/**
 * An appliance on two networks, end to end on the real container driver: created through the
 * HTTP API with `moreNetworks`, it runs with eth0 on the first network and eth1 on the second,
 * each with the address placement gave it; it reaches both gateways, its default route is via the
 * first, the host routes nothing for it, and eth1's port drops what it sends with eth0's address.
 * Deleting it frees both addresses (the next appliance gets them) and leaves nothing on the host.
 * A further network with an IPv6 pool and a DNS zone gives it an IPv6 address there too, reached
 * on-link, never routed through, and named by AAAA and PTR records until it is deleted.
 * The bridges, the control plane and its data go in `after`, pass or fail.
 */
let cp: ControlPlane;
let api: TestApi;
let first: TestNetwork;
let second: TestNetwork;
let third: TestNetwork;
const prefix6 = `${randomUlaPrefix()}:`;
let dataDir: string;
let imageId: string;
const ids: string[] = [];
const CONTAINER = { virtualization: 'container' };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-e2e-nets-'));
  first = await makeTestNetwork();
  // The first bridge exists only once an appliance starts: pick the second apart from it.
  for (let i = 0; i < 20; i++) {
    second = await makeTestNetwork();
    if (second.cidr !== first.cidr) break;
  }
  assert.notEqual(second.cidr, first.cidr);
  for (let i = 0; i < 20; i++) {
    third = await makeTestNetwork();
    if (third.cidr !== first.cidr && third.cidr !== second.cidr) break;
  }
  assert.ok(third.cidr !== first.cidr && third.cidr !== second.cidr);
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: first.bridge, networkCidr: first.cidr });
  api = new TestApi(cp.url, cp.adminToken);
  const store = cp.store;
  await store.read.networks.insert({
    ...freshMeta(store.ids.next(), 'backend', store.clock.now()),
    spec: { bridge: second.bridge, cidr: second.cidr, gateway: second.gateway, excluded: [] },
    status: {},
  });
  await store.read.networks.insert({
    ...freshMeta(store.ids.next(), 'dual', store.clock.now()),
    spec: {
      bridge: third.bridge,
      cidr: third.cidr,
      gateway: third.gateway,
      excluded: [],
      ipv6: { cidr: `${prefix6}/120`, gateway: `${prefix6}1`, excluded: [] },
      dns: { backend: 'embedded', zone: 'dual.internal' },
    },
    status: {},
  });
  imageId = (await api.uploadImage('base', baseImageTar())).id;
});

after(async () => {
  await api?.deleteAppliancesQuietly(ids);
  await cp?.stop();
  await first?.cleanup();
  await second?.cleanup();
  await third?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function running(name: string, moreNetworks: string[]): Promise<Appliance> {
  const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name, imageId, requirements: CONTAINER, moreNetworks });
  ids.push(a.id);
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', `${name} running`);
  return api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`);
}

/** The IPv4 addresses of an interface inside the appliance's namespace. */
async function addressesOf(ns: string, dev: string): Promise<string[]> {
  const links = JSON.parse((await exec('ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', dev])).stdout) as Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>;
  return links.flatMap((l) => l.addr_info.map((x) => `${x.local}/${x.prefixlen}`));
}

test('an appliance on two networks has eth0 and eth1, reaches both gateways, routes only via the first, and cannot send as eth0 from eth1', async () => {
  const a = await running('two-nets', ['backend']);
  const [address, moreAddress] = [a.status.address, a.status.moreAddresses?.[0]];
  assert.ok(address && moreAddress, JSON.stringify(a.status));
  assert.equal(address, first.address(1));
  assert.equal(moreAddress, second.address(1));
  const ns = netnsName(a.id);

  assert.deepEqual(await addressesOf(ns, 'eth0'), [`${address}/24`]);
  assert.deepEqual(await addressesOf(ns, 'eth1'), [`${moreAddress}/24`]);
  const eth1Mac = (await exec('ip', ['netns', 'exec', ns, 'cat', '/sys/class/net/eth1/address'])).stdout.trim();
  const eth0Mac = (await exec('ip', ['netns', 'exec', ns, 'cat', '/sys/class/net/eth0/address'])).stdout.trim();
  assert.notEqual(eth1Mac, eth0Mac, 'each interface has its own MAC');
  assert.match((await exec('ip', ['-d', 'link', 'show', 'dev', hostVethName(a.id, 1)])).stdout, new RegExp(`master ${second.bridge} `), "eth1's host end is on the second bridge");

  for (const gw of [first.gateway, second.gateway]) {
    const ping = await execAllowFail('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '2', gw]);
    assert.equal(ping.exitCode, 0, `ping ${gw}: ${ping.stdout}${ping.stderr}`);
  }
  const routes = JSON.parse((await exec('ip', ['-n', ns, '-j', '-4', 'route', 'show'])).stdout) as Array<{ dst: string; gateway?: string; dev: string }>;
  assert.deepEqual(routes.filter((r) => r.dst === 'default').map((r) => [r.gateway, r.dev]), [[first.gateway, 'eth0']], 'one default route, via the first gateway');
  assert.deepEqual(routes.filter((r) => r.gateway !== undefined && r.dst !== 'default'), [], 'no other route through a gateway');
  // Nothing is routed on the host: no route names the appliance's addresses.
  const hostRoutes = (await exec('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout;
  for (const x of [address, moreAddress]) assert.doesNotMatch(hostRoutes, new RegExp(`\\b${x.replaceAll('.', '\\.')}\\b`));

  // eth1's port lets through eth1's own address and drops eth0's: paired, so the path is proven.
  const tool = await buildL2Tool();
  const bridgeMac = (await readFile(`/sys/class/net/${second.bridge}/address`, 'utf8')).trim();
  const delivered = async (source: string, sourceMac = eth1Mac) => {
    const token = newToken();
    const sniffer = sniff(tool, {}, second.bridge, token, 700);
    await sniffer.ready;
    await sendFrame(tool, { netns: ns }, 'eth1', ethernet(bridgeMac, sourceMac, ETH_IPV4, ipv4Udp(source, second.gateway, 9, token)));
    return sniffer.seen;
  };
  assert.equal(await delivered(moreAddress), 3, 'eth1 sends as itself');
  assert.equal(await delivered(address), 0, "eth0's address forged on eth1 is dropped");
  assert.equal(await delivered(moreAddress, eth0Mac), 0, "and so is eth0's MAC");
});

test('deleting an appliance on two networks frees both addresses for the next one and leaves no port behind', async () => {
  const [a] = await api.ok<{ items: Appliance[] }>('GET', '/api/v1/appliances?name=two-nets').then((l) => l.items);
  assert.ok(a, 'the appliance of the first test');
  await api.ok('DELETE', `/api/v1/appliances/${a.id}`);
  await api.waitAppliances([a.id], (x) => x === undefined, 'two-nets deleted');
  const leaks = await findLeaks([a.id], join(dataDir, 'run', 'container'), { storageRoot: join(dataDir, 'storage', 'local') });
  assert.deepEqual(leaks, [], 'no namespace, veth (eth0 or eth1), port filter, mount or clone remains');

  const next = await running('next', ['backend']);
  assert.equal(next.status.address, a.status.address);
  assert.deepEqual(next.status.moreAddresses, a.status.moreAddresses);
  assert.deepEqual(await addressesOf(netnsName(next.id), 'eth1'), [`${second.address(1)}/24`]);
});

test('a further network with an IPv6 pool: the appliance has its IPv6 address there, reaches the gateway on-link, and has AAAA and PTR records until deleted', async () => {
  const a = await running('dual-nets', ['dual']);
  const address6 = a.status.moreAddresses6?.[0];
  assert.equal(address6, `${prefix6}2`, JSON.stringify(a.status));
  const ns = netnsName(a.id);
  const global6 = async (dev: string) => {
    const links = JSON.parse((await exec('ip', ['-n', ns, '-j', '-6', 'addr', 'show', 'dev', dev, 'scope', 'global'])).stdout) as Array<{ addr_info: Array<{ local?: string; prefixlen?: number }> }>;
    return links.flatMap((l) => l.addr_info.filter((x) => x.local !== undefined).map((x) => `${x.local}/${x.prefixlen}`));
  };
  assert.deepEqual(await global6('eth1'), [`${address6}/120`]);
  assert.deepEqual(await global6('eth0'), [], 'the first network has no IPv6 pool');
  const ping = await execAllowFail('ip', ['netns', 'exec', ns, 'ping', '-6', '-c', '1', '-W', '2', `${prefix6}1`]);
  assert.equal(ping.exitCode, 0, `ping the IPv6 gateway: ${ping.stdout}${ping.stderr}`);
  const routes6 = JSON.parse((await exec('ip', ['-n', ns, '-j', '-6', 'route', 'show'])).stdout) as Array<{ dst: string }>;
  assert.deepEqual(routes6.filter((r) => r.dst === 'default'), [], 'no default IPv6 route through a further network');

  const aaaa = await dig(third.gateway, 53, 'dual-nets.dual.internal', 'AAAA');
  assert.deepEqual([aaaa.status, aaaa.values], ['NOERROR', [address6]]);
  const ptr = await dig(third.gateway, 53, address6, 'PTR');
  assert.deepEqual(ptr.values, ['dual-nets.dual.internal']);

  await api.ok('DELETE', `/api/v1/appliances/${a.id}`);
  await api.waitAppliances([a.id], (x) => x === undefined, 'dual-nets deleted');
  await eventually(async () => (await dig(third.gateway, 53, 'dual-nets.dual.internal', 'AAAA')).status === 'NXDOMAIN', 'NXDOMAIN for dual-nets');
});
