import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { startHostBmc, type HostBmc } from '../support/ha/host-bmc.ts';
import { makeTestNetwork } from '../support/host-leaks.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';
import { startPrivateNats, type PrivateNats } from '../support/services/private-nats.ts';

/**
 * A partition, with real parts: the control plane and a NATS server in this machine's namespace,
 * two hosts whose agents each run in a network namespace of their own (joined to the control
 * plane by a management bridge in 169.254.0.0/16), containers for appliances, one storage
 * directory both hosts reach, and host A's BMC an ipmi_sim whose power-off stops A's processes.
 * The test cuts A's link. A's agent stops its HA appliances itself; the control plane, hearing
 * nothing from A and B unable to reach it, fences A through its BMC with fence_ipmilan; the
 * appliances run on B with the same address and the data they wrote. The appliances log their own
 * ticks (their instance and the machine's uptime) into their data: no two copies ever overlap.
 */
const tag = randomBytes(3).toString('hex');
const third = 200 + ((randomBytes(1)[0] as number) % 40);
const mgmt = { bridge: `fym${tag}`, prefix: `169.254.${third}.` };
const ns = { a: `fyha${tag}`, b: `fyhb${tag}` };
const veth = { a: `fyva${tag}`, b: `fyvb${tag}` };
const dir = mkdtempSync(join(tmpdir(), 'fy-partition-'));
const processes: ServerProcess[] = [];
let nats: PrivateNats | undefined;
let bmc: HostBmc | undefined;
let server: ServerProcess | undefined;
const ids: string[] = [];
const net = await makeTestNetwork();

const ip = (...args: string[]) => exec('ip', args);
const inNs = (name: string, ...cmd: string[]) => exec('ip', ['netns', 'exec', name, ...cmd]);

after(async () => {
  try {
    if (server) {
      const api = new TestApi(server.url, server.token);
      await api.deleteAppliancesQuietly(ids);
    }
    for (const p of processes.reverse()) await p.kill('SIGKILL').catch(() => undefined);
    await bmc?.stop();
    // Whatever host A's containers left (its agent was killed): its runc root, its mounts.
    for (const host of ['a', 'b'] as const) {
      const root = join(dir, host, 'run', 'runc');
      const list = await execAllowFail('runc', ['--root', root, 'list', '-q']);
      for (const id of list.stdout.split('\n').filter(Boolean)) await execAllowFail('runc', ['--root', root, 'delete', '--force', id]);
    }
    const mounts = (await execAllowFail('cat', ['/proc/mounts'])).stdout.split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dir));
    for (const m of mounts.reverse()) await execAllowFail('umount', ['-l', m]);
  } finally {
    // The host ends of the links go explicitly: a namespace's teardown is the kernel's, and late.
    await execAllowFail('ip', ['link', 'del', veth.a]);
    await execAllowFail('ip', ['link', 'del', veth.b]);
    await execAllowFail('ip', ['netns', 'del', ns.a]);
    await execAllowFail('ip', ['netns', 'del', ns.b]);
    await execAllowFail('ip', ['link', 'del', mgmt.bridge]);
    await nats?.cleanup();
    await net.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function makeHostNamespace(host: 'a' | 'b', n: number): Promise<string> {
  await ip('netns', 'add', ns[host]);
  await ip('link', 'add', veth[host], 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns[host]);
  await ip('link', 'set', veth[host], 'master', mgmt.bridge, 'up');
  await inNs(ns[host], 'ip', 'link', 'set', 'lo', 'up');
  await inNs(ns[host], 'ip', 'addr', 'add', `${mgmt.prefix}${n}/24`, 'dev', 'eth0');
  await inNs(ns[host], 'ip', 'link', 'set', 'eth0', 'up');
  return `${mgmt.prefix}${n}`;
}

interface Tick {
  instance: string;
  uptime: number;
}

/** The appliance's own record: one line per tick, "tick <instance> <uptime>". */
function parseTicks(log: string): Tick[] {
  return log
    .split('\n')
    .map((l) => /^tick (\S+) ([0-9.]+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ instance: m[1] as string, uptime: Number(m[2]) }));
}

const APPLIANCE_COMMAND = [
  '/bin/sh',
  '-c',
  [
    'i=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d " \\n")',
    'mkdir -p /www /data',
    'httpd -p 80 -h /www',
    'while :; do echo "tick $i $(cut -d" " -f1 /proc/uptime)" >> /data/alive.log; cp /data/alive.log /www/alive.log; sleep 0.2 2>/dev/null || sleep 1; done',
  ].join('; '),
];

test('a partitioned host stops its HA appliances, is fenced through its BMC, and they run on the other host with their address and data, never twice', { timeout: 240_000 }, async () => {
  await ip('link', 'add', mgmt.bridge, 'type', 'bridge');
  await ip('addr', 'add', `${mgmt.prefix}1/24`, 'dev', mgmt.bridge);
  await ip('link', 'set', mgmt.bridge, 'up');
  const addrA = await makeHostNamespace('a', 2);
  const addrB = await makeHostNamespace('b', 3);
  nats = await startPrivateNats([], `${mgmt.prefix}1`);

  const storageDir = join(dir, 'cp', 'storage', 'local');
  server = new ServerProcess({
    FLEETYARD_DATA_DIR: join(dir, 'cp'),
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_NATS_URL: nats.url,
    FLEETYARD_EMBEDDED_AGENT: 'false',
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
    FLEETYARD_FENCING: 'fence_ipmilan',
  });
  processes.push(server);
  await server.start();
  const api = new TestApi(server.url, server.token);

  const startAgent = async (host: 'a' | 'b', address: string) => {
    const { token } = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: `host ${host}` });
    const agent = new ServerProcess(
      {
        FLEETYARD_NATS_URL: nats?.url as string,
        FLEETYARD_DATA_DIR: join(dir, host),
        FLEETYARD_STORAGE_DIR: storageDir,
        FLEETYARD_MACHINE_ID: `partition-${host}-${tag}`,
        FLEETYARD_JOIN_TOKEN: token,
        FLEETYARD_AGENT_PROBE_LISTEN: `${address}:7799`,
      },
      ['agent'],
      /registered as host (\S+)/,
      ns[host],
    );
    processes.push(agent);
    await agent.start();
    return { agent, hostId: /registered as host (\S+)/.exec(agent.output)?.[1] as string };
  };
  const a = await startAgent('a', addrA);
  // Powering A off stops every process of it: the agent, and its containers if any are left.
  bmc = await startHostBmc({
    name: 'host-a',
    dir: join(dir, 'bmc-a'),
    powerOffHook: [
      `kill -9 ${a.agent.pid}`,
      `for c in $(runc --root ${join(dir, 'a', 'run', 'runc')} list -q); do runc --root ${join(dir, 'a', 'run', 'runc')} delete --force "$c"; done`,
      `echo "off $(cut -d' ' -f1 /proc/uptime)" >> ${join(dir, 'power-off.log')}`,
    ].join('\n'),
  });
  await api.ok('PUT', `/api/v1/hosts/${a.hostId}/bmc`, { ...bmc.bmc });

  const image = await api.uploadImage('base', baseImageTar());
  for (const name of ['ha-one', 'ha-two']) {
    ids.push((await api.ok<Appliance>('POST', '/api/v1/appliances', { name, imageId: image.id, ha: true, command: APPLIANCE_COMMAND, requirements: { virtualization: 'container' } })).id);
  }
  await api.waitAppliances(ids, (x) => x?.status.phase === 'running' && x.status.hostId === a.hostId, 'both running on host A', 120_000);
  const before = await Promise.all(ids.map((id) => api.ok<Appliance>('GET', `/api/v1/appliances/${id}`)));
  const b = await startAgent('b', addrB);

  // What the plan says would happen if A failed, before it does.
  const hostAName = (await api.ok<Resource>('GET', `/api/v1/resources/${a.hostId}`)).name;
  const cli = await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../bin/fleetyard.js'), 'ha', 'plan', '--fail', hostAName, '--json'], {
    env: { ...process.env, FLEETYARD_API: server.url, FLEETYARD_TOKEN: server.token },
  });
  const planned = JSON.parse(cli.stdout) as { scenarios: Array<{ restarts: Array<{ applianceId: string; to: { id: string } | null }> }> };
  const plannedHost = new Map(planned.scenarios[0]?.restarts.map((r) => [r.applianceId, r.to?.id ?? null]));
  for (const id of ids) assert.equal(plannedHost.get(id), b.hostId, 'the plan sends each to host B');

  await eventually(async () => (await inNs(ns.a, 'curl', '-sf', `http://${before[0]?.status.address}/alive.log`).catch(() => ({ stdout: '' }))).stdout.includes('tick'), 'ticks on A', 30_000, 200);
  await ip('link', 'set', veth.a, 'down'); // the cut

  await eventually(async () => (await api.ok<Resource>('GET', `/api/v1/resources/${a.hostId}`)).status.lease?.state === 'fenced', 'host A fenced', 90_000, 200);
  await api.waitAppliances(ids, (x) => x?.status.phase === 'running' && x.status.hostId === b.hostId, 'both running on host B', 90_000);
  const hostA = await api.ok<Resource>('GET', `/api/v1/resources/${a.hostId}`);
  assert.equal(hostA.status.lease?.fencedBy, 'bmc');
  assert.equal(hostA.status.lease?.signals.bmc, 'off');
  assert.deepEqual(await bmc.actions(), ['0']);

  for (const [i, id] of ids.entries()) {
    const now = await api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
    assert.equal(now.status.address, before[i]?.status.address, 'same address');
    // Let it tick on B, then read its record through its address, from host B.
    await eventually(async () => {
      const log = (await inNs(ns.b, 'curl', '-sf', `http://${now.status.address}/alive.log`).catch(() => ({ stdout: '' }))).stdout;
      return new Set(parseTicks(log).map((t) => t.instance)).size === 2 && parseTicks(log).slice(-3).every((t) => t.instance === parseTicks(log).at(-1)?.instance);
    }, `${now.name} ticks on B`, 30_000, 200);
    const ticks = parseTicks((await inNs(ns.b, 'curl', '-sf', `http://${now.status.address}/alive.log`)).stdout);
    const instances = [...new Set(ticks.map((t) => t.instance))];
    assert.equal(instances.length, 2, 'one copy on A, then one on B, and the data A wrote is still there');
    const span = (inst: string) => {
      const u = ticks.filter((t) => t.instance === inst).map((t) => t.uptime);
      return { first: Math.min(...u), last: Math.max(...u) };
    };
    const [onA, onB] = instances.map(span) as [{ first: number; last: number }, { first: number; last: number }];
    assert.ok(onA.last < onB.first, `never two copies: A's copy ticked last at ${onA.last}, B's first at ${onB.first}`);
  }
  const ledger = (await api.ok<{ items: Array<{ type: string; objectId: string }> }>('GET', `/api/v1/events?objectId=${a.hostId}&limit=500`)).items.map((e) => e.type);
  for (const t of ['host.lease-expired', 'host.failed', 'host.fenced']) assert.ok(ledger.includes(t), t);
});
