import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BillingRepo } from '../../src/billing/billing-repo.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { tokenFor } from '../support/session.ts';

/**
 * A cloud user owns their appliance, but the product and the quota bound what they may do with
 * it. Before, `POST /appliances/{id}/move` checked only ownership: a user moved their appliance to
 * a virtualization the product did not offer, and the meter kept charging the old price. Here,
 * on the real container driver and the simulated one side by side: a move the product does not
 * offer and one the quota cannot pay for are refused; an allowed move to a dearer virtualization
 * is charged at the old price up to the move and at the new one from it.
 */
const HOUR = 3_600_000;
const V1 = '/api/v1';
let cloud: CloudFixture;
let user: TestApi;
let userId: string;
let request: CloudRequest;
let appliance: Appliance;

before(async () => {
  cloud = await startCloud();
  const product = await cloud.admin.ok<Product>('POST', `${V1}/products`, {
    name: 'dual',
    imageId: cloud.product.spec.imageId,
    sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
    virtualizations: ['sim', 'container'],
  });
  const u = await cloud.admin.ok<User>('POST', `${V1}/users`, { name: 'carol', email: 'carol@example.test', password: 'carol-password-correct-horse' });
  userId = u.id;
  await cloud.admin.ok('POST', `${V1}/ccu/grants`, { userId, ccu: 1000, note: 'welcome' });
  // 3 h on sim cost 31.5 CCU (10.5/h); on the container driver they would cost 37.5 (12.5/h).
  await cloud.admin.ok('PUT', `${V1}/quotas/users/${userId}`, { ccuPerMonth: 35 });
  user = new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'carol', 'carol-password-correct-horse'));
  const now = cloud.clock.now().getTime();
  const submitted = await user.ok<CloudRequest>('POST', `${V1}/cloud/requests`, {
    productId: product.id,
    size: 's',
    virtualization: 'sim',
    startAt: new Date(now).toISOString(),
    endAt: new Date(now + 3 * HOUR).toISOString(),
  });
  await cloud.until(async () => (request = await user.ok<CloudRequest>('GET', `${V1}/cloud/requests/${submitted.id}`)).status.state === 'active', 'the request active');
  appliance = await user.ok<Appliance>('GET', `${V1}/appliances/${request.status.applianceIds[0]}`);
  assert.equal(appliance.status.virtualization, 'sim');
});

after(async () => {
  await cloud?.close();
});

describe("a cloud user's appliance", () => {
  it('is not moved to a virtualization its product does not offer', async () => {
    const r = await user.call<{ error: { code: string; details: { field: string; offered: string[] } } }>('POST', `${V1}/appliances/${appliance.id}/move`, { to: 'qemu' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'FY_NOT_OFFERED');
    assert.equal(r.body.error.details.field, 'to');
    assert.deepEqual(r.body.error.details.offered, ['sim', 'container']);
    assert.equal((await user.ok<Appliance>('GET', `${V1}/appliances/${appliance.id}`)).spec.move ?? null, null, 'no move was recorded');
  });

  it('is not moved to a dearer virtualization the quota cannot pay for', async () => {
    const r = await user.call<{ error: { code: string } }>('POST', `${V1}/appliances/${appliance.id}/move`, { to: 'container' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'FY_QUOTA_EXCEEDED');
  });

  it('is charged at the new price from the moment an allowed move lands', async () => {
    await cloud.admin.ok('PUT', `${V1}/quotas/users/${userId}`, { ccuPerMonth: 100 });
    cloud.clock.advance(HOUR / 2);
    const movedAt = cloud.clock.now().toISOString();
    await user.ok('POST', `${V1}/appliances/${appliance.id}/move`, { to: 'container' });
    await cloud.until(async () => {
      const a = await user.ok<Appliance>('GET', `${V1}/appliances/${appliance.id}`);
      return a.status.phase === 'running' && a.status.virtualization === 'container';
    }, 'the appliance running on the container driver', 60_000);
    let meters: Awaited<ReturnType<BillingRepo['metersOfRequest']>> = [];
    await cloud.until(async () => (meters = await new BillingRepo(cloud.cp.store.db).metersOfRequest(request.id)).length === 2, 'a second meter');
    const [first, second] = meters.sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    assert.ok(first && second);
    assert.equal(first.ccuPerHourMilli, 10_500, 'the sim price');
    assert.equal(first.stoppedAt, movedAt, 'charged at the sim price up to the move');
    assert.equal(second.ccuPerHourMilli, 12_500, 'the container price');
    assert.equal(second.startedAt, movedAt, 'and at the container price from it');
    assert.equal(second.stoppedAt, null);
  });

  it('is not started behind the back of a paused request', async () => {
    await user.ok('POST', `${V1}/cloud/requests/${request.id}/pause`, {});
    await cloud.until(async () => (await user.ok<Appliance>('GET', `${V1}/appliances/${appliance.id}`)).status.phase === 'stopped', 'stopped by the pause', 60_000);
    const r = await user.call<{ error: { code: string } }>('POST', `${V1}/appliances/${appliance.id}/start`);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'FY_REQUEST_STATE');
    await user.ok('POST', `${V1}/cloud/requests/${request.id}/cancel`, {});
  });
});
