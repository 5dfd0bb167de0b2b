import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { anAppliance } from '../support/objects.ts';
import { tokenFor } from '../support/session.ts';

/**
 * GET /dashboard on a whole cloud (the simulated driver, a fake clock): its figures agree with
 * what the lists say, capacity is the host's room less what runs and what a request holds, the
 * CCU burn is what billing posted per hour, and its cost in queries does not grow with the
 * number of appliances.
 */
const HOUR = 3_600_000;
const V1 = '/api/v1';
const RATIO = 4;

interface Capacity {
  cpu: number;
  memoryMiB: number;
  diskMiB: number;
}
interface Dashboard {
  generatedAt: string;
  capacity: Array<{ virtualization: string; hosts: number; liveHosts: number; units: number; freeUnits: number | null; total: Capacity; used: Capacity; reserved: Capacity; free: Capacity }>;
  hosts: { total: number; live: number; byState: Record<string, number>; byPower: Record<string, number> };
  servers: { total: number; inUse: number };
  appliances: { total: number; byPhase: Record<string, number> };
  requests: { total: number; byState: Record<string, number> };
  ccu: { burnMilliPerHour: number; burnCcuPerHour: string; hours: number; debitedMilli: number; series: Array<{ hour: string; debitedMilli: number }> };
}

let cloud: CloudFixture;
let user: TestApi;
let request: CloudRequest;
const started: Appliance[] = [];

before(async () => {
  cloud = await startCloud({ drivers: [new SimDriver({})], cpuAllocationRatio: RATIO });
  const u = await cloud.admin.ok<User>('POST', `${V1}/users`, { name: 'dana', email: 'dana@example.test', password: 'dana-password-correct-horse' });
  await cloud.admin.ok('POST', `${V1}/ccu/grants`, { userId: u.id, ccu: 1000, note: 'welcome' });
  user = new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'dana', 'dana-password-correct-horse'));
  const now = cloud.clock.now().getTime();
  const submitted = await user.ok<CloudRequest>('POST', `${V1}/cloud/requests`, {
    productId: cloud.product.id,
    size: 's',
    virtualization: 'sim',
    startAt: new Date(now).toISOString(),
    endAt: new Date(now + 6 * HOUR).toISOString(),
  });
  await cloud.until(async () => (request = await user.ok<CloudRequest>('GET', `${V1}/cloud/requests/${submitted.id}`)).status.state === 'active', 'the request active');
  for (const [name, start] of [['web-1', true], ['spare', false]] as const) {
    started.push(await cloud.admin.ok<Appliance>('POST', `${V1}/appliances`, { name, imageId: cloud.product.spec.imageId, requirements: { cpu: 2, memoryMiB: 128, virtualization: 'sim' }, start }));
  }
  await cloud.admin.waitAppliances([started[0]?.id as string], (a) => a?.status.phase === 'running', 'web-1 running');
  await cloud.admin.waitAppliances([started[1]?.id as string], (a) => a?.status.phase === 'stopped', 'spare stopped');
});

after(async () => {
  await cloud?.close();
});

const dashboard = (q = '') => cloud.admin.ok<Dashboard>('GET', `${V1}/dashboard${q}`);

describe('the dashboard', () => {
  it('counts what the lists show: appliances by phase, requests by state, hosts by state and power', async () => {
    const d = await dashboard();
    const appliances = (await cloud.admin.ok<{ items: Appliance[] }>('GET', `${V1}/appliances?limit=1000`)).items;
    assert.equal(d.appliances.total, appliances.length);
    assert.equal(d.appliances.total, 3);
    for (const phase of ['running', 'stopped', 'failed', 'pending']) {
      assert.equal(d.appliances.byPhase[phase], appliances.filter((a) => a.status.phase === phase).length, phase);
    }
    assert.equal(d.appliances.byPhase.running, 2);
    assert.deepEqual([d.requests.total, d.requests.byState.active, d.requests.byState.new], [1, 1, 0]);
    assert.deepEqual([d.hosts.total, d.hosts.live, d.hosts.byState.active, d.hosts.byPower.on], [1, 1, 1, 1]);
    assert.deepEqual(d.servers.total, 0);
  });

  it("gives capacity as the host's room less what runs unreserved and what the request holds", async () => {
    const d = await dashboard();
    const resources = (await cloud.admin.ok<{ items: Resource[] }>('GET', `${V1}/resources?limit=1000`)).items;
    const host = resources.find((r) => r.spec.virtualizations.includes('sim'));
    assert.ok(host, 'the embedded agent registered its host');
    const sim = d.capacity.find((c) => c.virtualization === 'sim');
    // The request's appliance (1 cpu, 64 MiB) is in its reservation; web-1 (2 cpu, 128 MiB) is not.
    assert.deepEqual(sim, {
      virtualization: 'sim',
      hosts: 1,
      liveHosts: 1,
      units: 2,
      freeUnits: null,
      total: { cpu: host.spec.capacity.cpu * RATIO, memoryMiB: host.spec.capacity.memoryMiB, diskMiB: host.spec.capacity.diskMiB },
      used: { cpu: 3, memoryMiB: 192, diskMiB: 0 },
      reserved: { cpu: 1, memoryMiB: 64, diskMiB: 0 },
      free: { cpu: host.spec.capacity.cpu * RATIO - 3, memoryMiB: host.spec.capacity.memoryMiB - 192, diskMiB: host.spec.capacity.diskMiB },
    });
    // Types no host offers are there, empty, so the console always has its three tiles.
    assert.deepEqual(d.capacity.map((c) => c.virtualization), ['container', 'qemu', 'physical', 'sim']);
    assert.equal(d.capacity.find((c) => c.virtualization === 'container')?.hosts, 0);
  });

  it('shows the CCU billing debited per hour, and what burns now', async () => {
    cloud.clock.advance(3 * HOUR);
    const posted = async () => (await dashboard('?hours=6')).ccu.debitedMilli === 3 * 10_500;
    await cloud.until(posted, 'three hours posted');
    const { ccu } = await dashboard('?hours=6');
    // The request's appliance costs 10.5 CCU an hour on sim (1 cpu × 10 + 1/16 GiB × 8).
    assert.deepEqual(ccu.series, [
      { hour: '2026-03-02T06:00:00.000Z', debitedMilli: 0 },
      { hour: '2026-03-02T07:00:00.000Z', debitedMilli: 0 },
      { hour: '2026-03-02T08:00:00.000Z', debitedMilli: 10_500 },
      { hour: '2026-03-02T09:00:00.000Z', debitedMilli: 10_500 },
      { hour: '2026-03-02T10:00:00.000Z', debitedMilli: 10_500 },
      { hour: '2026-03-02T11:00:00.000Z', debitedMilli: 0 },
    ]);
    assert.deepEqual([ccu.hours, ccu.burnMilliPerHour, ccu.burnCcuPerHour], [6, 10_500, '10.500']);
    assert.equal((await dashboard()).ccu.series.length, 24);
  });

  it('costs the same few aggregate queries with 3 appliances or 503, and reads no appliance row', async () => {
    const appliancesQueries = async () => {
      const seen: string[] = [];
      const off = cloud.cp.store.onQuery((sql) => seen.push(sql));
      try {
        await dashboard();
      } finally {
        off();
      }
      return seen.filter((q) => /from "appliances"/.test(q));
    };
    const before = await appliancesQueries();
    const imageId = cloud.product.spec.imageId;
    await cloud.cp.store.transaction(async (tx) => {
      for (let i = 0; i < 500; i++) await tx.appliances.insert(anAppliance(`bulk-${i}`, imageId));
    });
    assert.equal((await dashboard()).appliances.total, 503);
    const after = await appliancesQueries();
    assert.equal(before.length, 1, before.join(' | '));
    assert.deepEqual(after, before);
    assert.match(after[0] ?? '', /group by "phase"/);
  });

  it('validates its query with a field and a code, and is the admin\'s only', async () => {
    for (const q of ['?hours=0', '?hours=169', '?hours=two', '?hours=1.5', '?days=1']) {
      const r = await cloud.admin.call<{ error: { code: string; details: { issues: Array<{ path: string }> } } }>('GET', `${V1}/dashboard${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, 'FY_VALIDATION', q);
      assert.ok(r.body.error.details.issues.length > 0, q);
    }
    const r = await user.call<{ error: { code: string } }>('GET', `${V1}/dashboard`);
    assert.deepEqual([r.status, r.body.error.code], [403, 'FY_FORBIDDEN']);
  });
});

describe('the appliance list', () => {
  it('filters by virtualization on the server, and refuses one that does not exist', async () => {
    const sim = await cloud.admin.ok<{ items: Appliance[] }>('GET', `${V1}/appliances?virtualization=sim&limit=1000`);
    assert.deepEqual(sim.items.map((a) => a.name).sort(), [...started.map((a) => a.name), (await user.ok<Appliance>('GET', `${V1}/appliances/${request.status.applianceIds[0]}`)).name].sort());
    const qemu = await cloud.admin.ok<{ items: Appliance[] }>('GET', `${V1}/appliances?virtualization=qemu`);
    assert.deepEqual(qemu.items, []);
    const bad = await cloud.admin.call<{ error: { code: string } }>('GET', `${V1}/appliances?virtualization=vmware`);
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'FY_VALIDATION']);
  });

  it("answers an appliance that is not placed with an empty console and its bounds in the headers", async () => {
    const res = await fetch(`${cloud.cp.url}${V1}/appliances/${started[1]?.id}/logs?from=100`, { headers: { authorization: `Bearer ${cloud.cp.adminToken}` } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    assert.deepEqual(['fy-console-start', 'fy-console-end', 'fy-console-size'].map((h) => res.headers.get(h)), ['0', '0', '0']);
    const bad = await fetch(`${cloud.cp.url}${V1}/appliances/${started[1]?.id}/logs?from=-1`, { headers: { authorization: `Bearer ${cloud.cp.adminToken}` } });
    assert.equal(bad.status, 400);
  });
});
