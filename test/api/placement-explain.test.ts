import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { tokenFor } from '../support/session.ts';

/**
 * The scheduler explains itself through the API (admin): for an appliance and for a cloud
 * request, what it would decide now, host by host — each rejected host with the filter that
 * rejected it and why, each candidate with its score under the policy. A pending appliance's
 * message is the same explanation's summary. The policy is the installation's unless the product
 * or the appliance names one, and a policy that does not exist is refused with the field.
 */
const V1 = '/api/v1';
const HOUR = 3_600_000;
const SIM = { virtualization: 'sim' };

type ExplanationView = {
  policy: string;
  fits: boolean;
  reason: string | null;
  hostIds: string[];
  candidates: number;
  rejected: Record<string, number>;
  hosts: Array<{ hostId: string; host: string; rejectedBy: string | null; reason: string | null; score: number | null }>;
  total: number;
};
type ErrorAnswer = { error: { code: string; details?: { issues?: Array<{ path: string }> } } };
const paths = (e: ErrorAnswer) => (e.error.details?.issues ?? []).map((i) => i.path);

let cloud: CloudFixture;
let ann: { user: User; api: TestApi };
let imageId: string;
let annRequest: CloudRequest;

before(async () => {
  // No automatic approval: ann's request stays `new` until an admin decides.
  cloud = await startCloud({ drivers: [new SimDriver({})], policy: { autoApproveMaxCcu: null }, controlPlane: { placementPolicy: 'pack' } });
  imageId = cloud.product.spec.imageId;
  const password = 'ann-password-correct-horse';
  const user = await cloud.admin.ok<User>('POST', `${V1}/users`, { name: 'ann', email: 'ann@example.test', password });
  ann = { user, api: new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'ann', password)) };
  const at = (h: number) => new Date(cloud.clock.now().getTime() + h * HOUR).toISOString();
  annRequest = await ann.api.ok<CloudRequest>('POST', `${V1}/cloud/requests`, { productId: cloud.product.id, size: 's', startAt: at(24), endAt: at(26) });
});

after(async () => {
  await cloud?.close();
});

async function settled(body: Record<string, unknown>): Promise<Appliance> {
  const a = await cloud.admin.ok<Appliance>('POST', `${V1}/appliances`, { imageId, requirements: SIM, ...body });
  await cloud.until(async () => {
    const phase = (await cloud.cp.store.read.appliances.require(a.id)).status.phase;
    return phase === 'running' || (phase === 'pending' && (await cloud.cp.store.read.appliances.require(a.id)).status.message !== null);
  }, `${a.name} placed or pending`);
  return cloud.admin.ok<Appliance>('GET', `${V1}/appliances/${a.id}`);
}

describe('placement explanations', () => {
  it('name the host an appliance that fits would go to, with its score under the installation’s policy', async () => {
    const a = await settled({ name: 'fits' });
    assert.equal(a.status.phase, 'running');
    const e = await cloud.admin.ok<ExplanationView>('GET', `${V1}/appliances/${a.id}/placement`);
    assert.equal(e.policy, 'pack', 'the installation’s policy');
    assert.equal(e.fits, true);
    assert.deepEqual(e.hostIds, [a.status.hostId]);
    assert.equal(e.candidates, 1);
    assert.equal(e.total, e.hosts.length);
    assert.equal(e.hosts[0]?.rejectedBy, null);
    assert.equal(typeof e.hosts[0]?.score, 'number');
  });

  it('say, host by host, why an appliance that fits nowhere waits: its message is their summary', async () => {
    const a = await settled({ name: 'huge', requirements: { ...SIM, cpu: 256, memoryMiB: 1_048_576 } });
    assert.equal(a.status.phase, 'pending');
    const e = await cloud.admin.ok<ExplanationView>('GET', `${V1}/appliances/${a.id}/placement`);
    assert.equal(e.fits, false);
    assert.equal(e.reason, a.status.message);
    assert.match(e.reason ?? '', /no host has 256 cpu, 1048576 MiB memory/);
    assert.equal(e.candidates, 0);
    assert.equal(e.rejected.capacity, 1);
    assert.equal(e.hosts[0]?.rejectedBy, 'capacity');
    assert.match(e.hosts[0]?.reason ?? '', /^has \d+ cpu, \d+ MiB memory and \d+ MiB disk free, needs 256 cpu, 1048576 MiB memory and 0 MiB disk$/);
  });

  it('use the appliance’s own policy when it names one, and refuse one that does not exist with the field', async () => {
    const a = await settled({ name: 'spreads', placement: { policy: 'spread' } });
    assert.equal(a.spec.placement?.policy, 'spread');
    assert.equal((await cloud.admin.ok<ExplanationView>('GET', `${V1}/appliances/${a.id}/placement`)).policy, 'spread');
    const bad = await cloud.admin.call<ErrorAnswer>('POST', `${V1}/appliances`, { name: 'odd', imageId, requirements: SIM, placement: { policy: 'densest' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'FY_VALIDATION');
    assert.deepEqual(paths(bad.body), ['/placement/policy']);
  });

  it('explain a cloud request by the hosts its units would be reserved on, under the product’s policy', async () => {
    const e = await cloud.admin.ok<ExplanationView>('GET', `${V1}/cloud/requests/${annRequest.id}/placement`);
    assert.equal(e.policy, 'pack');
    assert.equal(e.fits, true, JSON.stringify(e));
    assert.equal(e.hostIds.length, 1);
    const refused = await cloud.admin.call<ErrorAnswer>('PATCH', `${V1}/products/${cloud.product.id}`, { placementPolicy: 'densest' });
    assert.equal(refused.status, 400);
    assert.deepEqual(paths(refused.body), ['/placementPolicy']);
    await cloud.admin.ok('PATCH', `${V1}/products/${cloud.product.id}`, { placementPolicy: 'energy-aware' });
    assert.equal((await cloud.admin.ok<ExplanationView>('GET', `${V1}/cloud/requests/${annRequest.id}/placement`)).policy, 'energy-aware');
    await cloud.admin.ok('PATCH', `${V1}/products/${cloud.product.id}`, { placementPolicy: null });
  });

  it('explain a request its owner made too big for the fleet: every host rejected by capacity, nothing reserved', async () => {
    // Within ann's quota (she has none) but beyond what any host can give.
    await cloud.admin.ok('PATCH', `${V1}/products/${cloud.product.id}`, { sizes: [...cloud.product.spec.sizes, { name: 'xl', cpu: 256, memoryMiB: 1_048_576, diskMiB: 0 }] });
    const at = (h: number) => new Date(cloud.clock.now().getTime() + h * HOUR).toISOString();
    const big = await ann.api.ok<CloudRequest>('POST', `${V1}/cloud/requests`, { productId: cloud.product.id, size: 'xl', quantity: 2, startAt: at(24), endAt: at(26) });
    const e = await cloud.admin.ok<ExplanationView>('GET', `${V1}/cloud/requests/${big.id}/placement`);
    assert.equal(e.fits, false);
    assert.match(e.reason ?? '', /capacity for 2 × \(256 cpu, 1048576 MiB\) is not free for the whole window \(unit 1 does not fit\)/);
    assert.equal(e.hosts[0]?.rejectedBy, 'capacity');
    assert.match(e.hosts[0]?.reason ?? '', /free for the whole window, needs 256 cpu/);
    assert.deepEqual(await cloud.cp.store.read.cloud.reservations({ requestId: big.id }), [], 'explaining reserves nothing');
  });

  it('are an admin’s: a cloud user is refused, even for their own appliance and request', async () => {
    const own = await settled({ name: 'anns', ownerId: ann.user.id });
    for (const path of [`${V1}/appliances/${own.id}/placement`, `${V1}/cloud/requests/${annRequest.id}/placement`]) {
      const r = await ann.api.call<ErrorAnswer>('GET', path);
      assert.equal(r.status, 403, path);
      assert.equal(r.body.error.code, 'FY_FORBIDDEN');
    }
  });

  it('refuse an unknown id and a limit out of range', async () => {
    const missing = await cloud.admin.call<ErrorAnswer>('GET', `${V1}/appliances/0193a3c0-0000-7000-8000-000000000009/placement`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'FY_NOT_FOUND');
    const [a] = (await cloud.admin.ok<{ items: Appliance[] }>('GET', `${V1}/appliances?name=fits`)).items;
    const bad = await cloud.admin.call<ErrorAnswer>('GET', `${V1}/appliances/${a?.id}/placement?limit=0`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'FY_VALIDATION');
    assert.deepEqual(paths(bad.body), ['/limit']);
  });
});
