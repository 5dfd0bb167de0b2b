import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Group, User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { tokenFor } from '../support/session.ts';

/**
 * What the admin console's cloud pages read: requests filtered by their owner's name, how many
 * requests wait in each state, and a quota beside what its user or group uses now. A cloud user
 * gets the same answers about their own objects only.
 */
const V1 = '/api/v1';
const HOUR = 3_600_000;
let cloud: CloudFixture;
let ann: { user: User; api: TestApi };
let bob: { user: User; api: TestApi };
let team: Group;
const requests: CloudRequest[] = [];

async function person(name: string, groupId: string | null): Promise<{ user: User; api: TestApi }> {
  const password = `${name}-password-correct-horse`;
  const user = await cloud.admin.ok<User>('POST', `${V1}/users`, { name, email: `${name}@example.test`, password, groupId });
  return { user, api: new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, name, password)) };
}

before(async () => {
  // No automatic approval: every request stays `new` until an admin decides.
  cloud = await startCloud({ drivers: [new SimDriver({})], policy: { autoApproveMaxCcu: null } });
  team = await cloud.admin.ok<Group>('POST', `${V1}/groups`, { name: 'team' });
  ann = await person('ann', team.id);
  bob = await person('bob', team.id);
  const at = (h: number) => new Date(cloud.clock.now().getTime() + h * HOUR).toISOString();
  const order = { productId: cloud.product.id, size: 's', startAt: at(24), endAt: at(26) };
  requests.push(await ann.api.ok<CloudRequest>('POST', `${V1}/cloud/requests`, { ...order, quantity: 2 }));
  requests.push(await ann.api.ok<CloudRequest>('POST', `${V1}/cloud/requests`, order));
  requests.push(await bob.api.ok<CloudRequest>('POST', `${V1}/cloud/requests`, order));
  await cloud.admin.ok('POST', `${V1}/cloud/requests/${requests[1]?.id}/deny`, { comment: 'not now' });
  await cloud.until(async () => (await cloud.cp.store.read.requests.require(requests[1]?.id as string)).status.state === 'denied', 'the denial');
});

after(async () => {
  await cloud?.close();
});

const ids = (page: { items: CloudRequest[] }) => page.items.map((r) => r.id).sort();

describe('the cloud views of the admin console', () => {
  it("filters requests by the owner's name, alone or with the state", async () => {
    const [a1, a2, b1] = requests as [CloudRequest, CloudRequest, CloudRequest];
    assert.deepEqual(ids(await cloud.admin.ok('GET', `${V1}/cloud/requests?owner=ann`)), [a1.id, a2.id].sort());
    assert.deepEqual(ids(await cloud.admin.ok('GET', `${V1}/cloud/requests?owner=ann&state=new`)), [a1.id]);
    assert.deepEqual(ids(await cloud.admin.ok('GET', `${V1}/cloud/requests?owner=bob`)), [b1.id]);
    assert.deepEqual(ids(await cloud.admin.ok('GET', `${V1}/cloud/requests?owner=nobody`)), []);
    // The name and an ownerId that disagree match nothing rather than either.
    assert.deepEqual(ids(await cloud.admin.ok('GET', `${V1}/cloud/requests?owner=ann&ownerId=${bob.user.id}`)), []);
    const bad = await cloud.admin.call<{ error: { code: string } }>('GET', `${V1}/cloud/requests?state=waiting`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'FY_VALIDATION');
  });

  it("shows a cloud user only their own requests, whatever owner they name", async () => {
    assert.deepEqual(ids(await bob.api.ok('GET', `${V1}/cloud/requests?owner=ann`)), []);
    assert.deepEqual(ids(await bob.api.ok('GET', `${V1}/cloud/requests?owner=bob`)), [requests[2]?.id]);
  });

  it('counts the requests in every state: all of them for the admin, their own for a user', async () => {
    const all = await cloud.admin.ok<{ byState: Record<string, number>; total: number }>('GET', `${V1}/cloud/requests/counts`);
    assert.equal(all.byState.new, 2);
    assert.equal(all.byState.denied, 1);
    assert.equal(all.byState.approved, 0);
    assert.equal(all.total, 3);
    const own = await bob.api.ok<{ byState: Record<string, number>; total: number }>('GET', `${V1}/cloud/requests/counts`);
    assert.equal(own.byState.new, 1);
    assert.equal(own.byState.denied, 0);
    assert.equal(own.total, 1);
  });

  it('shows a quota with what its user, or its group of users, holds now', async () => {
    await cloud.admin.ok('PUT', `${V1}/quotas/users/${ann.user.id}`, { appliances: 5, cpu: 8 });
    type Quota = { limits: { appliances: number | null; cpu: number | null }; used: { appliances: number; cpu: number; memoryMiB: number } };
    const q = await cloud.admin.ok<Quota>('GET', `${V1}/quotas/users/${ann.user.id}`);
    assert.deepEqual([q.limits.appliances, q.limits.cpu], [5, 8]);
    // Her denied request holds nothing; the new one (2 × size s: 1 cpu, 64 MiB) is counted.
    assert.deepEqual([q.used.appliances, q.used.cpu, q.used.memoryMiB], [2, 2, 128]);
    const g = await cloud.admin.ok<Quota>('GET', `${V1}/quotas/groups/${team.id}`);
    assert.equal(g.limits.appliances, null);
    assert.deepEqual([g.used.appliances, g.used.cpu], [3, 3]);
    const own = await bob.api.ok<Quota>('GET', `${V1}/quotas/users/${bob.user.id}`);
    assert.deepEqual([own.used.appliances, own.used.cpu], [1, 1]);
  });
});
