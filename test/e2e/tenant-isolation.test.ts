import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Network } from '../../src/domain/network.ts';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { gatewayMac, uplinkName } from '../../src/network/vxlan.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { TEST_PRICE_LIST } from '../support/cloud-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork } from '../support/host-leaks.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';
import { SessionClient } from '../support/session.ts';
import { startPrivateNats, type PrivateNats } from '../support/services/private-nats.ts';

/**
 * Tenant isolation with real parts: a control plane and NATS in this machine's namespace, two
 * hosts whose agents run in network namespaces of their own, joined by an underlay bridge in
 * 169.254.0.0/16 that also carries their VXLAN. Two cloud users each order two container
 * appliances, which their reservations spread over both hosts; each user's appliances are on
 * the user's private network. From inside each appliance's network namespace: ICMP, a TCP connect
 * (to the appliance's SSH port) and ARP reach the same user's appliance on the other host, and
 * reach neither of the other user's appliances, on either host.
 */
const tag = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'fy-isolation-'));
const ns = { a: `fyia${tag}`, b: `fyib${tag}` };
const veth = { a: `fyja${tag}`, b: `fyjb${tag}` };
const underlayBridge = `fyu${tag}`;
const processes: ServerProcess[] = [];
let nats: PrivateNats | undefined;
let server: ServerProcess | undefined;
const ids: string[] = [];
// Three ranges nothing on this machine uses: the default network, the tenant pool (cut into
// /26s) and the underlay between the hosts.
const net = await makeTestNetwork();
const pool = await makeTestNetwork();
const underlay = await makeTestNetwork();
const firstVni = 0x100000 + (randomBytes(2).readUInt16BE(0) << 2);

const ip = (...args: string[]) => exec('ip', args);
const inNs = (name: string, ...cmd: string[]) => exec('ip', ['netns', 'exec', name, ...cmd]);

after(async () => {
  try {
    if (server) await new TestApi(server.url, server.token).deleteAppliancesQuietly(ids);
    for (const p of processes.reverse()) await p.kill('SIGKILL').catch(() => undefined);
    for (const host of ['a', 'b'] as const) {
      const root = join(dir, host, 'run', 'container', 'runc');
      const list = await execAllowFail('runc', ['--root', root, 'list', '-q']);
      for (const id of list.stdout.split('\n').filter(Boolean)) await execAllowFail('runc', ['--root', root, 'delete', '--force', id]);
    }
    const mounts = (await execAllowFail('cat', ['/proc/mounts'])).stdout.split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dir));
    for (const m of mounts.reverse()) await execAllowFail('umount', ['-l', m]);
  } finally {
    await execAllowFail('ip', ['link', 'del', veth.a]);
    await execAllowFail('ip', ['link', 'del', veth.b]);
    // The hosts' namespaces hold their bridges, uplinks and nftables: they go with them.
    await execAllowFail('ip', ['netns', 'del', ns.a]);
    await execAllowFail('ip', ['netns', 'del', ns.b]);
    await execAllowFail('ip', ['link', 'del', underlayBridge]);
    await nats?.cleanup();
    await net.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function makeHostNamespace(host: 'a' | 'b', n: number): Promise<string> {
  await ip('netns', 'add', ns[host]);
  await ip('link', 'add', veth[host], 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns[host]);
  await ip('link', 'set', veth[host], 'master', underlayBridge, 'up');
  await exec('ethtool', ['-K', veth[host], 'tx', 'off']);
  await inNs(ns[host], 'ip', 'link', 'set', 'lo', 'up');
  await inNs(ns[host], 'ip', 'addr', 'add', `${underlay.address(n)}/${underlay.prefixLength}`, 'dev', 'eth0');
  await inNs(ns[host], 'ip', 'link', 'set', 'eth0', 'up');
  await inNs(ns[host], 'ethtool', '-K', 'eth0', 'tx', 'off');
  return underlay.address(n);
}

/** Runs `cmd` in the network namespace of a running container appliance (found by its PID). */
async function inAppliance(host: 'a' | 'b', applianceId: string, cmd: string[]): Promise<{ exitCode: number; out: string }> {
  const state = await exec('runc', ['--root', join(dir, host, 'run', 'container', 'runc'), 'state', applianceId]);
  const pid = (JSON.parse(state.stdout) as { pid: number }).pid;
  const r = await execAllowFail('nsenter', ['-t', String(pid), '-n', ...cmd], { timeoutMs: 15_000 });
  return { exitCode: r.exitCode, out: r.stdout + r.stderr };
}

const probes = {
  icmp: (to: string) => ['ping', '-c', '1', '-W', '2', to],
  tcp: (to: string) => ['timeout', '4', 'bash', '-c', `exec 3<>/dev/tcp/${to}/22`],
  arp: (to: string) => ['busybox', 'arping', '-c', '1', '-w', '2', '-I', 'eth0', to],
};

test('two cloud users on two hosts: each reaches their own appliances over VXLAN, never the other user\'s', { timeout: 300_000 }, async () => {
  await ip('link', 'add', underlayBridge, 'type', 'bridge');
  await ip('addr', 'add', `${underlay.gateway}/${underlay.prefixLength}`, 'dev', underlayBridge);
  await ip('link', 'set', underlayBridge, 'up');
  const addr = { a: await makeHostNamespace('a', 2), b: await makeHostNamespace('b', 3) };
  nats = await startPrivateNats([], underlay.gateway);

  server = new ServerProcess({
    FLEETYARD_DATA_DIR: join(dir, 'cp'),
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_NATS_URL: nats.url,
    FLEETYARD_EMBEDDED_AGENT: 'false',
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
    FLEETYARD_TENANT_POOL: pool.cidr,
    FLEETYARD_TENANT_PREFIX: '26',
    FLEETYARD_TENANT_FIRST_VNI: String(firstVni),
  });
  const cp: ServerProcess = server;
  processes.push(cp);
  await cp.start();
  const api = new TestApi(cp.url, cp.token);

  const hostIds: Record<'a' | 'b', string> = { a: '', b: '' };
  for (const host of ['a', 'b'] as const) {
    const { token } = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: `host ${host}` });
    const agent = new ServerProcess(
      {
        FLEETYARD_NATS_URL: nats.url,
        FLEETYARD_DATA_DIR: join(dir, host),
        FLEETYARD_STORAGE_DIR: join(dir, 'cp', 'storage', 'local'),
        FLEETYARD_MACHINE_ID: `isolation-${host}-${tag}`,
        FLEETYARD_JOIN_TOKEN: token,
        FLEETYARD_AGENT_UNDERLAY_ADDRESS: addr[host],
      },
      ['agent'],
      /registered as host (\S+)/,
      ns[host],
    );
    processes.push(agent);
    await agent.start();
    hostIds[host] = /registered as host (\S+)/.exec(agent.output)?.[1] as string;
  }
  const hostOf = (id: string | null) => (id === hostIds.a ? 'a' : id === hostIds.b ? 'b' : undefined);

  const image = await api.uploadImage('base', baseImageTar());
  await api.ok('PUT', '/api/v1/ccu/price-list', TEST_PRICE_LIST);
  const product = await api.ok<Product>('POST', '/api/v1/products', {
    name: 'small',
    imageId: image.id,
    sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
    virtualizations: ['container'],
  });

  // Two users, each ordering two appliances: the reservations spread them over both hosts.
  const tenants: Array<{ name: string; user: User; appliances: Appliance[]; session: SessionClient; requestId: string }> = [];
  for (const name of ['ada', 'bob']) {
    const password = `pw-${name}-correct-horse`;
    const user = await api.ok<User>('POST', '/api/v1/users', { name, email: `${name}@example.test`, sshPublicKey: null, password });
    await api.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu: 100, note: 'welcome credits' });
    const session = new SessionClient(cp.url);
    await session.login(name, password);
    const now = Date.now();
    const r = await session.ok<CloudRequest>('POST', '/api/v1/cloud/requests', {
      productId: product.id,
      size: 's',
      quantity: 2,
      startAt: new Date(now).toISOString(),
      endAt: new Date(now + 3_600_000).toISOString(),
    });
    await eventually(async () => (await session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${r.id}`)).status.applianceIds.length === 2, `${name}'s appliances made`, 60_000, 200);
    const made = (await session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${r.id}`)).status.applianceIds;
    ids.push(...made);
    await api.waitAppliances(made, (x) => x?.status.phase === 'running', `${name}'s appliances running`, 120_000).catch(async (e: unknown) => {
      console.log('tenant-isolation: the request, then the last events:', JSON.stringify((await session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${r.id}`)).status), JSON.stringify((await api.ok<{ items: Array<{ type: string; message: string }> }>('GET', `/api/v1/events?limit=300`)).items.map((x) => `${x.type}: ${x.message}`)));
      throw e;
    });
    const appliances = await Promise.all(made.map((id) => api.ok<Appliance>('GET', `/api/v1/appliances/${id}`)));
    assert.deepEqual(appliances.map((x) => hostOf(x.status.hostId)).sort(), ['a', 'b'], `${name}'s appliances run one on each host`);
    tenants.push({ name, user, appliances, session, requestId: r.id });
  }

  // Each user's appliances are on that user's private network, which spans hosts; the two differ.
  const networks = (await api.ok<{ items: Network[] }>('GET', '/api/v1/networks')).items;
  const tenantNet = (t: (typeof tenants)[number]) => networks.find((n) => n.name === t.appliances[0]?.spec.network);
  for (const t of tenants) {
    const n = tenantNet(t);
    assert.ok(n, `${t.name}'s network is listed`);
    assert.deepEqual(n.spec.tenant, { kind: 'user', id: t.user.id });
    assert.ok(n.spec.vxlan, 'it spans hosts');
    assert.equal(n.spec.mtu, 1450);
    assert.ok(t.appliances.every((x) => x.spec.network === n.name));
  }
  assert.notEqual(tenantNet(tenants[0] as never)?.name, tenantNet(tenants[1] as never)?.name);
  assert.notEqual(tenantNet(tenants[0] as never)?.spec.vxlan?.vni, tenantNet(tenants[1] as never)?.spec.vxlan?.vni);

  const [ada, bob] = tenants as [(typeof tenants)[number], (typeof tenants)[number]];
  const on = (t: typeof ada, host: 'a' | 'b') => t.appliances.find((x) => hostOf(x.status.hostId) === host) as Appliance;

  for (const [me, other] of [
    [ada, bob],
    [bob, ada],
  ] as const) {
    for (const host of ['a', 'b'] as const) {
      const from = on(me, host);
      const peer = on(me, host === 'a' ? 'b' : 'a');
      // The same tenant across hosts: every kind of traffic gets through (the fabric may still
      // be catching up with the last placement, so the first tries may fail).
      for (const [kind, probe] of Object.entries(probes)) {
        await eventually(
          async () => (await inAppliance(host, from.id, probe(peer.status.address as string))).exitCode === 0,
          `${me.name}: ${kind} from ${from.name} on ${host} to ${peer.name}`,
          30_000,
          500,
        );
      }
      // The gateway is this host's alone: it answers, once per ask, with the network's MAC, and
      // the other host's gateway (same address, same MAC) is never heard over VXLAN.
      const gateway = tenantNet(me)?.spec.gateway as string;
      assert.equal((await inAppliance(host, from.id, probes.icmp(gateway))).exitCode, 0, `${from.name} reaches its gateway`);
      const asked = await inAppliance(host, from.id, ['busybox', 'arping', '-c', '3', '-w', '4', '-I', 'eth0', gateway]);
      const replies = asked.out.split('\n').filter((l) => /reply from/i.test(l));
      assert.equal(replies.length, 3, `one answer per ARP request for the gateway: ${asked.out}`);
      assert.ok(replies.every((l) => l.toLowerCase().includes(gatewayMac(tenantNet(me)?.name as string))), asked.out);
      // The other tenant, on either host: nothing gets through.
      for (const target of other.appliances) {
        for (const [kind, probe] of Object.entries(probes)) {
          const r = await inAppliance(host, from.id, probe(target.status.address as string));
          assert.notEqual(r.exitCode, 0, `${me.name}: ${kind} from ${from.name} on ${host} reached ${other.name}'s ${target.name} on ${hostOf(target.status.hostId)}: ${r.out}`);
        }
      }
    }
  }

  // Ada's request ends: her network's uplink and bridge leave both hosts, Bob's stay.
  const uplinkOf = (t: typeof ada) => uplinkName(tenantNet(t)?.spec.vxlan?.vni as number);
  const present = async (host: 'a' | 'b', link: string) => (await execAllowFail('ip', ['-n', ns[host], 'link', 'show', 'dev', link])).exitCode === 0;
  await ada.session.ok('POST', `/api/v1/cloud/requests/${ada.requestId}/cancel`, {});
  await api.waitAppliances(ada.appliances.map((x) => x.id), (x) => x === undefined, 'ada\'s appliances deleted', 60_000);
  for (const host of ['a', 'b'] as const) {
    await eventually(async () => !(await present(host, uplinkOf(ada))) && !(await present(host, tenantNet(ada)?.spec.bridge as string)), `ada's uplink and bridge gone from ${host}`, 60_000, 500);
    assert.ok(await present(host, uplinkOf(bob)), `bob's uplink stays on ${host}`);
  }
});
