import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/domain/clock.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { User } from '../../src/domain/user.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { HaFleet } from '../support/ha-fleet.ts';
import { tokenFor } from '../support/session.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * PUT /hosts/{id}/labels and the placement constraints of POST /appliances, on a real control
 * plane (SQLite, a fake clock that keeps the hosts written into its store live).
 */
const V1 = '/api/v1';
let cp: SimControlPlane;
let admin: TestApi;
let user: TestApi;
let host: Resource;
let server: Resource;
let imageId: string;

before(async () => {
  cp = await startSimControlPlane({ clock: new FakeClock(new Date()) });
  admin = new TestApi(cp.cp.url, cp.cp.adminToken);
  await admin.ok<User>('POST', `${V1}/users`, { name: 'dora', email: 'dora@example.test', password: 'dora-password-correct-horse' });
  user = new TestApi(cp.cp.url, await tokenFor(cp.cp.url, 'dora', 'dora-password-correct-horse'));
  imageId = (await admin.uploadImage('base', baseImageTar())).id;
  const fleet = new HaFleet(cp.cp.store, imageId);
  host = await fleet.host('label-a', 4000);
  // A physical server: a resource, but no host (it runs no agent).
  server = await cp.cp.store.transaction(async (tx) => {
    const s: Resource = { ...host, id: cp.cp.store.ids.next(), name: 'server-1', spec: { ...host.spec, virtualizations: [], hostId: host.id } };
    await tx.resources.insert(s);
    return s;
  });
  // Fleetyard's own label on the host, which an admin's labels never replace.
  await cp.cp.store.transaction(async (tx) => {
    const h = await tx.resources.require(host.id);
    await tx.resources.update({ ...h, spec: { ...h.spec, labels: { 'fleetyard.io/rack': 'r1' } } }, cp.cp.store.clock.now(), true);
  });
});

after(async () => {
  await cp?.cleanup();
});

const put = (id: string, labels: unknown, as = admin) => as.call<Resource & { error: { code: string; details?: { field?: string } } }>('PUT', `${V1}/hosts/${id}/labels`, { labels });

describe('PUT /hosts/{id}/labels', () => {
  it("replaces the admin's labels, keeps Fleetyard's own and records an event", async () => {
    assert.equal((await put(host.id, { tier: 'gold', zone: 'a' })).status, 200);
    const r = await put(host.id, { tier: 'silver' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.spec.labels, { tier: 'silver', 'fleetyard.io/rack': 'r1' });
    const events = (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?objectId=${host.id}&limit=50`)).items.filter((e) => e.type === 'host.labels-set');
    assert.deepEqual(events.map((e) => e.data.labels), [{ tier: 'gold', zone: 'a' }, { tier: 'silver' }]);
  });

  it("refuses Fleetyard's own prefix, bad keys and a resource that is no host, with the field", async () => {
    for (const labels of [{ 'fleetyard.io/rack': 'r2' }, { 'Not A Key': 'x' }, 'tier=gold', { a: 1 }]) {
      const r = await put(host.id, labels);
      assert.equal(r.status, 400, JSON.stringify(labels));
      assert.equal(r.body.error.code, 'FY_VALIDATION');
    }
    const notHost = await put(server.id, { tier: 'gold' });
    assert.equal(notHost.status, 400);
    assert.equal(notHost.body.error.details?.field, 'id');
    assert.deepEqual((await admin.ok<Resource>('GET', `${V1}/resources/${host.id}`)).spec.labels, { tier: 'silver', 'fleetyard.io/rack': 'r1' }, 'nothing changed');
  });

  it('is for admins: a cloud user is refused and changes nothing', async () => {
    const r = await put(host.id, { tier: 'mine' }, user);
    assert.equal(r.status, 403);
    assert.equal((await admin.ok<Resource>('GET', `${V1}/resources/${host.id}`)).spec.labels.tier, 'silver');
  });
});

describe('POST /appliances with placement constraints', () => {
  it('stores the host labels and the anti-affinity group, and says why nothing fits', async () => {
    const a = await admin.ok<{ id: string; spec: { placement: unknown } }>('POST', `${V1}/appliances`, {
      name: 'needs-gold',
      imageId,
      ha: true,
      requirements: { virtualization: 'qemu' },
      placement: { hostLabels: { tier: 'gold' }, antiAffinity: 'db' },
    });
    assert.deepEqual(a.spec.placement, { hostLabels: { tier: 'gold' }, antiAffinity: 'db' });
    // label-a is silver now: the appliance waits, pending, and says why.
    let message = '';
    for (let i = 0; i < 100 && !/labels tier=gold/.test(message); i++) {
      message = (await admin.ok<{ status: { message: string | null } }>('GET', `${V1}/appliances/${a.id}`)).status.message ?? '';
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(message, /no live host has the labels tier=gold/);
    await admin.ok('DELETE', `${V1}/appliances/${a.id}`);
  });

  it('refuses a malformed group or label selector with the field', async () => {
    for (const placement of [{ antiAffinity: 'Web Tier' }, { hostLabels: { 'A B': 'x' } }, { other: 1 }]) {
      const r = await admin.call<{ error: { code: string; details?: { issues?: Array<{ path: string }> } } }>('POST', `${V1}/appliances`, { name: 'bad-placement', imageId, placement });
      assert.equal(r.status, 400, JSON.stringify(placement));
      assert.equal(r.body.error.code, 'FY_VALIDATION');
      assert.match(r.body.error.details?.issues?.[0]?.path ?? '', /^\/placement/);
    }
  });
});
