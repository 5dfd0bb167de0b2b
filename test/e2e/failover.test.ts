import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent } from '../../src/agent/agent.ts';
import { IdentityKey } from '../../src/agent/identity-key.ts';
import { TransitKey } from '../../src/agent/transit-key.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { startHostBmc, type HostBmc } from '../support/ha/host-bmc.ts';

/**
 * Host failure on simulated hosts with real BMCs (ipmi_sim, fenced with Debian's fence_ipmilan):
 * a host whose agent is gone is fenced through its BMC and its HA appliances restart on another
 * host, its other appliances are lost; a host whose BMC is dead is never restarted from until an
 * admin confirms the fence by hand; a flaky BMC on a healthy host never causes a power action.
 * The lease is 2 s here so the test is short; everything else is as in production.
 */
const LEASE_MS = 2_000;
const BIN = join(import.meta.dirname, '../../bin/fleetyard.js');
/** The CLI as an admin runs it, against this control plane. */
const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, FLEETYARD_API: sim.cp.url, FLEETYARD_TOKEN: sim.cp.adminToken ?? '', FORCE_COLOR: '0' }, timeout: 60_000 });
let sim: SimControlPlane;
let api: TestApi;
let imageId: string;
const agents: Agent[] = [];
const bmcs: HostBmc[] = [];

before(async () => {
  // The embedded agent has no driver: it is no host, so every appliance goes to the hosts below.
  sim = await startSimControlPlane({ drivers: [], leaseMs: LEASE_MS, fencing: 'fence_ipmilan' });
  api = new TestApi(sim.cp.url, sim.cp.adminToken as string);
  imageId = (await api.uploadImage('base', baseImageTar())).id;
});

after(async () => {
  for (const a of agents) await a.stop().catch(() => undefined);
  for (const b of bmcs) await b.stop().catch(() => undefined);
  await sim?.cleanup();
});

interface SimHost {
  name: string;
  hostId: string;
  agent: Agent;
  bmc: HostBmc | null;
}

async function startHost(name: string, opts: { bmc: boolean }): Promise<SimHost> {
  const dir = join(sim.dataDir, 'hosts', name);
  mkdirSync(dir, { recursive: true });
  const { token } = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: name });
  const agent = new Agent({
    bus: sim.cp.bus,
    transitKey: TransitKey.forDataDir(dir),
    identity: IdentityKey.forDataDir(dir),
    joinToken: token,
    drivers: [new SimDriver({ stateDir: join(dir, 'sim') })],
    // One storage every host reaches: the appliances' data is where any host finds it.
    storage: new LocalStorage(join(sim.dataDir, 'storage', 'local')),
    dataDir: dir,
    machineId: `ha-${name}-${randomBytes(4).toString('hex')}`,
    probeListen: { address: '127.0.0.1', port: 0 },
  });
  agents.push(agent);
  const hostId = await agent.start();
  let bmc: HostBmc | null = null;
  if (opts.bmc) {
    bmc = await startHostBmc({ name, dir: join(dir, 'bmc') });
    bmcs.push(bmc);
    await api.ok('PUT', `/api/v1/hosts/${hostId}/bmc`, { address: bmc.bmc.address, port: bmc.bmc.port, user: bmc.bmc.user, password: bmc.bmc.password });
  }
  return { name, hostId, agent, bmc };
}

/** Stops a host's agent and waits until the control plane no longer offers it work. */
async function stopHost(h: SimHost): Promise<void> {
  await h.agent.stop();
  await eventually(async () => (await host(h.hostId)).status.lease?.state !== 'live', `${h.name} no longer live`, 30_000, 100);
}

const host = (id: string) => api.ok<Resource>('GET', `/api/v1/resources/${id}`);
const appliance = (id: string) => api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
const eventsOf = async (objectId: string): Promise<string[]> =>
  (await api.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?objectId=${objectId}&limit=500`)).items.map((e) => e.type);

async function createOn(h: SimHost, name: string, ha: boolean, more: Record<string, unknown> = {}): Promise<Appliance> {
  const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name, imageId, ha, requirements: { virtualization: 'sim' }, ...more });
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', `${name} running`);
  const running = await appliance(a.id);
  assert.equal(running.status.hostId, h.hostId, `${name} runs on ${h.name}`);
  return running;
}

test('a dead host is fenced through its BMC; its HA appliances restart elsewhere with their address, the others are lost', async () => {
  const a = await startHost('ha-a', { bmc: true });
  const web = await createOn(a, 'web-ha', true);
  const scratch = await createOn(a, 'scratch', false);
  const b = await startHost('ha-b', { bmc: false });

  await a.agent.stop(); // the host dies: no heartbeats, its probe address refuses connections
  await eventually(async () => (await host(a.hostId)).status.lease?.state === 'fenced', 'ha-a fenced', 30_000, 100).catch(async (e) => { console.log(JSON.stringify((await host(a.hostId)).status, null, 1), await eventsOf(a.hostId)); throw e; });
  const fenced = await host(a.hostId);
  assert.equal(fenced.status.lease?.fencedBy, 'bmc');
  assert.equal(fenced.status.lease?.epoch, 1);
  assert.deepEqual(await a.bmc?.actions(), ['0'], 'one power-off, nothing else');
  assert.equal(await a.bmc?.power(), 'off');
  const hostEvents = await eventsOf(a.hostId);
  for (const t of ['host.lease-expired', 'host.failed', 'host.fenced']) assert.ok(hostEvents.includes(t), `${t} in ${hostEvents.join(', ')}`);
  assert.ok(hostEvents.indexOf('host.failed') < hostEvents.indexOf('host.fenced'));

  await api.waitAppliances([web.id], (x) => x?.status.phase === 'running' && x.status.hostId === b.hostId, 'web-ha running on ha-b', 30_000);
  const moved = await appliance(web.id);
  assert.equal(moved.id, web.id);
  assert.equal(moved.status.address, web.status.address, 'same address');
  const webEvents = await eventsOf(web.id);
  assert.ok(webEvents.indexOf('appliance.failover') > webEvents.lastIndexOf('appliance.waiting-for-host') || !webEvents.includes('appliance.waiting-for-host'));
  assert.ok(webEvents.includes('appliance.failover'));

  await eventually(async () => (await appliance(scratch.id)).status.phase === 'lost', 'scratch lost', 15_000, 100);
  const lost = await appliance(scratch.id);
  assert.match(lost.status.message ?? '', /not HA/);
  assert.equal(lost.status.hostId, null);

  // A start places the lost appliance anew.
  await api.ok('POST', `/api/v1/appliances/${scratch.id}/start`);
  await api.waitAppliances([scratch.id], (x) => x?.status.phase === 'running' && x.status.hostId === b.hostId, 'scratch started again on ha-b');
  await Promise.all([web.id, scratch.id].map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
  await api.waitAppliances([web.id, scratch.id], (x) => x === undefined, 'deleted');
  await stopHost(b);
});

test('a host whose BMC is dead is not restarted from until an admin confirms the fence', async () => {
  const c = await startHost('ha-c', { bmc: true });
  const db = await createOn(c, 'db-ha', true);
  const d = await startHost('ha-d', { bmc: false });
  await c.bmc?.kill();
  await c.agent.stop();

  await eventually(async () => (await host(c.hostId)).status.lease?.state === 'fence-failed', 'ha-c fence-failed', 30_000, 100);
  const waiting = await host(c.hostId);
  assert.match(waiting.status.lease?.waitingFor ?? '', /fence-confirm ha-c|fence-confirm/);
  await eventually(async () => /waiting for host .*fence-failed/.test((await appliance(db.id)).status.message ?? ''), 'db-ha says what it waits for', 15_000, 100);
  await sleep(LEASE_MS * 2);
  const still = await appliance(db.id);
  assert.equal(still.status.hostId, c.hostId, 'never restarted unfenced');
  assert.ok(!(await eventsOf(db.id)).includes('appliance.failover'));
  assert.ok((await eventsOf(c.hostId)).includes('host.fence-failed'));

  // Refused for a host that holds its lease; accepted for this one, with an audit event.
  const live = await api.call('POST', `/api/v1/hosts/${d.hostId}/fence-confirm`);
  assert.equal(live.status, 409);
  assert.equal((live.body as { error: { code: string } }).error.code, 'FY_HOST_NOT_FAILED');
  const leases = await cli('host', 'leases');
  assert.match(leases.stdout, /fence-failed/);
  const cHost = await host(c.hostId);
  const confirmed = JSON.parse((await cli('host', 'fence-confirm', cHost.name, '--json')).stdout) as Resource;
  assert.equal(confirmed.status.lease?.state, 'fenced');
  assert.equal(confirmed.status.lease?.fencedBy, 'admin');
  const audit = (await api.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?objectId=${c.hostId}&limit=500`)).items.find((e) => e.type === 'host.fence-confirmed');
  assert.ok(audit, 'host.fence-confirmed');
  assert.equal(typeof audit.data.actorId, 'string');

  await api.waitAppliances([db.id], (x) => x?.status.phase === 'running' && x.status.hostId === d.hostId, 'db-ha running on ha-d', 30_000);
  await api.ok('DELETE', `/api/v1/appliances/${db.id}`);
  await api.waitAppliances([db.id], (x) => x === undefined, 'deleted');
  await stopHost(d);
});

test('intermittent IPMI errors on a healthy host cause no power action and no restart', async () => {
  const e = await startHost('ha-e', { bmc: true });
  const app = await createOn(e, 'steady-ha', true);
  // The BMC goes away and comes back, again and again, for several lease lengths.
  const until = Date.now() + LEASE_MS * 4;
  while (Date.now() < until) {
    await e.bmc?.kill();
    await sleep(300);
    await e.bmc?.revive();
    await sleep(300);
  }
  const h = await host(e.hostId);
  assert.equal(h.status.lease?.state, 'live');
  assert.equal(h.status.lease?.epoch ?? 0, 0);
  assert.deepEqual(await e.bmc?.actions(), [], 'no power action');
  const now = await appliance(app.id);
  assert.equal(now.status.hostId, e.hostId);
  assert.equal(now.status.startedAt, app.status.startedAt, 'not restarted');
  const types = await eventsOf(e.hostId);
  for (const t of ['host.lease-expired', 'host.failed', 'host.fenced', 'host.fence-failed']) assert.ok(!types.includes(t), `no ${t}`);
  await api.ok('DELETE', `/api/v1/appliances/${app.id}`);
  await api.waitAppliances([app.id], (x) => x === undefined, 'deleted');
  await stopHost(e);
});

test("a failed host's HA appliances restart only where their host labels and anti-affinity allow, as `ha plan --fail` said", async () => {
  const f = await startHost('ha-f', { bmc: true });
  const fName = (await host(f.hostId)).name;
  assert.match((await cli('host', 'label', fName, 'tier=gold')).stdout, /tier=gold/);
  const gold = await createOn(f, 'gold-ha', true, { placement: { hostLabels: { tier: 'gold' } } });
  const pair1 = await createOn(f, 'pair-1', true, { placement: { antiAffinity: 'web' } });
  const g = await startHost('ha-g', { bmc: false });
  await cli('host', 'label', (await host(g.hostId)).name, 'tier=gold');
  const h = await startHost('ha-h', { bmc: false });
  // H is the freest host: without the rules, both would restart there.
  const ballast = await createOn(g, 'ballast', false, { requirements: { virtualization: 'sim', memoryMiB: 8192 }, placement: { hostLabels: { tier: 'gold' } } });
  const pair2 = await createOn(h, 'pair-2', true, { placement: { antiAffinity: 'web' } });

  const planned = JSON.parse((await cli('ha', 'plan', '--fail', fName, '--json')).stdout) as { scenarios: Array<{ restarts: Array<{ applianceId: string; to: { id: string } | null }> }> };
  const plannedHost = new Map(planned.scenarios[0]?.restarts.map((r) => [r.applianceId, r.to?.id ?? null]));
  assert.equal(plannedHost.get(gold.id), g.hostId, 'gold-ha needs tier=gold: only ha-g has it');
  assert.equal(plannedHost.get(pair1.id), g.hostId, 'pair-1 may not join pair-2 on ha-h');

  await f.agent.stop();
  await api.waitAppliances([gold.id, pair1.id], (x) => x?.status.phase === 'running' && x.status.hostId !== f.hostId, 'both running elsewhere', 30_000);
  for (const a of [gold, pair1]) assert.equal((await appliance(a.id)).status.hostId, plannedHost.get(a.id), `${a.name} restarted where the plan said`);
  assert.equal((await appliance(pair2.id)).status.hostId, h.hostId);

  // With ha-g gone too, pair-1 has nowhere to go: it waits, pending, with the reason.
  const ids = [gold.id, pair1.id, pair2.id, ballast.id];
  const nowhere = JSON.parse((await cli('ha', 'plan', '--fail', (await host(g.hostId)).name, '--json')).stdout) as { scenarios: Array<{ restarts: Array<{ applianceId: string; fits: boolean; reason: string | null }> }> };
  const stuck = nowhere.scenarios[0]?.restarts.find((r) => r.applianceId === pair1.id);
  assert.equal(stuck?.fits, false);
  assert.match(stuck?.reason ?? '', /anti-affinity group web/);
  assert.match(nowhere.scenarios[0]?.restarts.find((r) => r.applianceId === gold.id)?.reason ?? '', /labels tier=gold/);
  await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
  await api.waitAppliances(ids, (x) => x === undefined, 'deleted');
  await stopHost(g);
  await stopHost(h);
});
