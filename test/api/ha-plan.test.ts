import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Product } from '../../src/domain/product.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { User } from '../../src/domain/user.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { TEST_PRICE_LIST } from '../support/cloud-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { HaFleet } from '../support/ha-fleet.ts';
import { tokenFor } from '../support/session.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * GET /ha/plan, the dashboard's N+1 figure, the continuous check's event and enforced admission,
 * on a real control plane (SQLite, the simulated driver, a fake clock that keeps hosts live).
 * Three qemu hosts: a (4000 MiB) runs three HA appliances of 500, 500 and 600 MiB and one that is
 * not HA; b has 1000 MiB free and c 600. If a fails, the first goes to b (most free), the second
 * to c, and the third fits nowhere.
 */
const V1 = '/api/v1';

interface Scenario {
  failed: Array<{ id: string; name: string }>;
  restarts: Array<{ applianceId: string; name: string; fits: boolean; to: { id: string; name: string } | null; reason: string | null }>;
  lost: Array<{ applianceId: string; name: string }>;
  unplaced: number;
}
interface Plan {
  mode: string;
  tolerates: boolean;
  haAppliances: number;
  scenarios: Scenario[];
}
interface Dashboard {
  ha: { tolerates: boolean; haAppliances: number; worst: { host: { id: string; name: string }; unplaced: number } | null };
}

let api: SimControlPlane;
let admin: TestApi;
let user: TestApi;
let imageId: string;
const hosts: Record<string, Resource> = {};
const apps: Record<string, Appliance> = {};

before(async () => {
  api = await startSimControlPlane({ clock: new FakeClock(new Date()), haAdmission: 'enforce', haCheckDebounceMs: 50 });
  admin = new TestApi(api.cp.url, api.cp.adminToken);
  await admin.ok<User>('POST', `${V1}/users`, { name: 'cara', email: 'cara@example.test', password: 'cara-password-correct-horse' });
  user = new TestApi(api.cp.url, await tokenFor(api.cp.url, 'cara', 'cara-password-correct-horse'));
  imageId = (await admin.uploadImage('base', baseImageTar())).id;
  const fleet = new HaFleet(api.cp.store, imageId);
  hosts.a = await fleet.host('ha-a', 4000);
  hosts.b = await fleet.host('ha-b', 1000);
  hosts.c = await fleet.host('ha-c', 600);
  apps.first = await fleet.run('first', hosts.a, { memoryMiB: 500 });
  apps.second = await fleet.run('second', hosts.a, { memoryMiB: 500 });
  apps.third = await fleet.run('third', hosts.a, { memoryMiB: 600 });
  apps.plain = await fleet.run('plain', hosts.a, { ha: false });
});

after(async () => {
  await api?.cleanup();
});

const plan = (q = '') => admin.ok<Plan>('GET', `${V1}/ha/plan${q}`);

describe('GET /ha/plan', () => {
  it('says where each HA appliance of a failed host would restart, and which could not, with the reason', async () => {
    for (const name of [hosts.a?.name, hosts.a?.id]) {
      const p = await plan(`?fail=${name}`);
      assert.equal(p.mode, 'given');
      assert.equal(p.tolerates, false);
      const [s] = p.scenarios;
      assert.deepEqual(s?.failed, [{ id: hosts.a?.id, name: 'ha-a' }]);
      assert.deepEqual(s?.restarts.map((r) => [r.name, r.to?.name ?? null]), [['first', 'ha-b'], ['second', 'ha-c'], ['third', null]]);
      assert.match(s?.restarts[2]?.reason ?? '', /600 MiB memory/);
      assert.deepEqual(s?.lost.map((l) => l.name), ['plain']);
      assert.equal(s?.unplaced, 1);
    }
  });

  it('plans several hosts failing together', async () => {
    const p = await plan(`?fail=ha-a&fail=ha-b`);
    assert.deepEqual(p.scenarios[0]?.failed.map((h) => h.name), ['ha-a', 'ha-b']);
    // Only c is left: the first fits there, then nothing else does.
    assert.deepEqual(p.scenarios[0]?.restarts.map((r) => r.to?.name ?? null), ['ha-c', null, null]);
  });

  it('without fail, plans every single-host failure and says whether the fleet tolerates any one', async () => {
    const p = await plan();
    assert.equal(p.mode, 'each-host');
    assert.equal(p.tolerates, false);
    assert.equal(p.haAppliances, 3);
    const names = p.scenarios.map((s) => s.failed[0]?.name);
    for (const h of ['ha-a', 'ha-b', 'ha-c']) assert.ok(names.includes(h), `a scenario for ${h} in ${names.join(', ')}`);
    assert.equal(p.scenarios.find((s) => s.failed[0]?.name === 'ha-b')?.restarts.length, 0);
  });

  it('refuses a host that does not exist, or a slot, naming the field', async () => {
    for (const q of ['?fail=no-such-host', `?fail=ha-a&fail=slot-first`, '?fail=', '?host=ha-a']) {
      const r = await admin.call<{ error: { code: string; details?: { field?: string; issues?: unknown[] } } }>('GET', `${V1}/ha/plan${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, 'FY_VALIDATION', q);
      assert.ok(r.body.error.details?.field === 'fail' || (r.body.error.details?.issues?.length ?? 0) > 0, q);
    }
  });

  it('is the admin\'s only', async () => {
    const r = await user.call<{ error: { code: string } }>('GET', `${V1}/ha/plan?fail=ha-a`);
    assert.deepEqual([r.status, r.body.error.code], [403, 'FY_FORBIDDEN']);
  });
});

describe('the continuous N+1 check', () => {
  it('warns with an event and the dashboard figure once a change shows the fleet no longer tolerates a failure', async () => {
    // Any appliance event makes the check look again: a real one, through the API.
    await admin.ok('POST', `${V1}/appliances`, { name: 'wake', imageId, requirements: { memoryMiB: 64, virtualization: 'sim' }, start: false });
    let lost: FleetyardEvent | undefined;
    await eventually(async () => {
      lost = (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?type=ha.tolerance-lost`)).items[0];
      return lost !== undefined;
    }, 'an ha.tolerance-lost event', 30_000, 50);
    assert.equal(lost?.kind, 'ha');
    assert.equal(lost?.data.hostId, hosts.a?.id);
    assert.equal(lost?.data.unplaced, 1);
    const d = await admin.ok<Dashboard>('GET', `${V1}/dashboard`);
    assert.equal(d.ha.tolerates, false);
    assert.equal(d.ha.haAppliances, 3);
    assert.deepEqual(d.ha.worst, { host: { id: hosts.a?.id, name: 'ha-a' }, unplaced: 1 });
  });
});

describe('enforced admission (FLEETYARD_HA_ADMISSION=enforce)', () => {
  it('refuses an HA appliance that could not restart if its host failed, and admits one that could', async () => {
    const refused = await admin.call<{ error: { code: string; details: { field: string; reason: string } } }>('POST', `${V1}/appliances`, {
      name: 'too-big',
      imageId,
      ha: true,
      requirements: { memoryMiB: 2000, virtualization: 'qemu' },
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'FY_HA_ADMISSION');
    assert.equal(refused.body.error.details.field, 'ha');
    assert.match(refused.body.error.details.reason, /too-big would run on ha-a, and if ha-a failed/);
    const names = (await admin.ok<{ items: Appliance[] }>('GET', `${V1}/appliances?name=too-big`)).items;
    assert.deepEqual(names, []);
    // Not HA, or not started: nothing to protect, so admitted.
    const plain = await admin.call('POST', `${V1}/appliances`, { name: 'big-plain', imageId, requirements: { memoryMiB: 2000, virtualization: 'sim' }, start: false });
    assert.equal(plain.status, 201);
    const stopped = await admin.call('POST', `${V1}/appliances`, { name: 'big-stopped', imageId, ha: true, requirements: { memoryMiB: 2000, virtualization: 'qemu' }, start: false });
    assert.equal(stopped.status, 201);
  });

  /** A product whose one size (2000 MiB) only ha-a can take, and nothing could take if ha-a failed. */
  let product: Product | undefined;
  const bigHaProduct = async (): Promise<Product> => {
    if (product) return product;
    await admin.ok('PUT', `${V1}/ccu/price-list`, TEST_PRICE_LIST);
    product = await admin.ok<Product>('POST', `${V1}/products`, {
      name: 'big-ha',
      imageId,
      sizes: [{ name: 'xl', cpu: 1, memoryMiB: 2000, diskMiB: 0 }],
      virtualizations: ['qemu'],
      haAllowed: true,
    });
    return product;
  };

  it("refuses an admin's stack whose HA appliance would break N+1, and applies nothing", async () => {
    await bigHaProduct();
    const yaml = `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: big-stack
spec:
  appliances:
    - name: db
      product: big-ha
      size: xl
      ha: true
`;
    const r = await admin.call<{ error: { code: string; details: { reason: string } } }>('POST', `${V1}/stacks/apply`, { yaml });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'FY_HA_ADMISSION');
    assert.match(r.body.error.details.reason, /would run on ha-a, and if ha-a failed/);
    assert.equal((await admin.call('GET', `${V1}/stacks/big-stack`)).status, 404);
  });

  it('does not approve an HA cloud request whose units would break N+1, and says why; the same order without HA is approved', async () => {
    const product = await bigHaProduct();
    const cara = (await admin.ok<{ items: User[] }>('GET', `${V1}/users?name=cara`)).items[0];
    assert.ok(cara);
    await admin.ok('POST', `${V1}/ccu/grants`, { userId: cara.id, ccu: 10_000, note: 'enough' });
    const t0 = api.cp.store.clock.now().getTime();
    const window = { startAt: new Date(t0 + 3_600_000).toISOString(), endAt: new Date(t0 + 3 * 3_600_000).toISOString() };
    const decided = async (id: string) => {
      let r: CloudRequest | undefined;
      await eventually(async () => {
        r = await user.ok<CloudRequest>('GET', `${V1}/cloud/requests/${id}`);
        return r.status.state !== 'new';
      }, 'the request decided', 30_000, 50);
      return r as CloudRequest;
    };
    const ha = await decided((await user.ok<CloudRequest>('POST', `${V1}/cloud/requests`, { productId: product.id, size: 'xl', ha: true, ...window })).id);
    assert.equal(ha.status.state, 'no-capacity');
    assert.match(ha.status.reason ?? '', /HA admission \(N\+1\): .*unit 1 would run on ha-a, and if ha-a failed it could not restart elsewhere/);
    assert.deepEqual((await api.cp.store.read.cloud.reservations()).filter((x) => x.requestId === ha.id), [], 'it holds no capacity');
    const plain = await decided((await user.ok<CloudRequest>('POST', `${V1}/cloud/requests`, { productId: product.id, size: 'xl', ...window })).id);
    assert.equal(plain.status.state, 'approved', plain.status.reason ?? '');
  });
});
