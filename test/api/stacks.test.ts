import assert from 'node:assert/strict';
import { freshMeta } from '../../src/domain/meta.ts';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Product } from '../../src/domain/product.ts';
import type { StackApplyResult, StackDeleteResult, StackDetail, StackListItem, StackPlan } from '../../src/domain/stack-plan.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { tokenFor } from '../support/session.ts';

/**
 * Stacks through the API on a real control plane (SQLite, in-process bus, the simulated driver,
 * the cloud's request reconciler on a fake clock): plan, apply, change and delete, once as an
 * admin (appliances made directly) and once as a cloud user (one cloud request per instance, owned
 * by the user, auto-approved by policy), and the refusals: a bad document, what the product does
 * not offer, and what the quota does not allow.
 */
const V1 = '/api/v1';

/** 10.5 CCU per hour for the `s` size on `sim` under the test price list; `m` is 2 cpu, 128 MiB. */
const S_CCU = 10.5;

const stack = (name: string, members: string, extra = '') => `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: ${name}
spec:
${extra}  appliances:
${members}`;

const member = (name: string, opts: { size?: string; count?: number; product?: string; virtualization?: string; ha?: boolean } = {}) =>
  `    - name: ${name}\n      product: ${opts.product ?? 'small'}\n      size: ${opts.size ?? 's'}\n${opts.virtualization ? `      virtualization: ${opts.virtualization}\n` : ''}${opts.ha !== undefined ? `      ha: ${opts.ha}\n` : ''}${opts.count !== undefined ? `      count: ${opts.count}\n` : ''}`;

interface ErrorBody {
  error: { code: string; message: string; details?: { issues?: Array<{ path: string; code: string; line?: number }>; breach?: string } };
}

describe('stacks', () => {
  let cloud: CloudFixture;
  let admin: TestApi;

  before(async () => {
    cloud = await startCloud({ drivers: [new SimDriver({})], policy: { autoApproveMaxCcu: 10_000, provisionLeadMs: 10 * 60_000 } });
    admin = cloud.admin;
    // A second size, for a change that replaces an instance.
    await admin.ok<Product>('PATCH', `${V1}/products/${cloud.product.id}`, {
      sizes: [...cloud.product.spec.sizes, { name: 'm', cpu: 2, memoryMiB: 128, diskMiB: 0 }],
    });
  });

  after(async () => {
    await cloud?.close();
  });

  const plan = (api: TestApi, yaml: string) => api.ok<StackPlan>('POST', `${V1}/stacks/plan`, { yaml });
  const apply = (api: TestApi, yaml: string, version?: number) => api.ok<StackApplyResult>('POST', `${V1}/stacks/apply`, { yaml, ...(version === undefined ? {} : { version }) });
  const refused = async (api: TestApi, method: string, path: string, body: unknown, status: number, code: string): Promise<ErrorBody['error']> => {
    const r = await api.call<ErrorBody>(method, path, body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code, JSON.stringify(r.body));
    return r.body.error;
  };
  const eventsOf = async (objectId: string) => (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?objectId=${objectId}`)).items.map((e) => e.type);

  describe('as an admin: appliances made directly', () => {
    const doc1 = `${stack('shop', member('web', { count: 2 }) + member('db'))}  links:\n    - from: web\n      to: db\n`;
    let applied: StackApplyResult;

    it('plans two members, three instances, with the image, the price and the capacity', async () => {
      const p = await plan(admin, doc1);
      assert.equal(p.mode, 'appliances');
      assert.equal(p.stack.id, null);
      assert.deepEqual(p.instances.map((i) => [i.member, i.ordinal, i.action, i.kind]), [['web', 1, 'create', 'appliance'], ['web', 2, 'create', 'appliance'], ['db', 1, 'create', 'appliance']]);
      assert.deepEqual(p.members.map((m) => [m.name, m.product, m.image.id, m.size.name, m.virtualization, m.network, m.count]), [
        ['web', 'small', cloud.product.spec.imageId, 's', 'sim', 'default', 2],
        ['db', 'small', cloud.product.spec.imageId, 's', 'sim', 'default', 1],
      ]);
      assert.equal(p.members[0]?.image.name, 'base');
      assert.deepEqual(p.links, [{ from: 'web', to: 'db' }]);
      assert.equal(p.price.ccuPerHour, 3 * S_CCU);
      assert.equal(p.price.currentCcuPerHour, 0);
      assert.equal(p.price.changeCcuPerHour, 3 * S_CCU);
      assert.equal(p.price.currency.code, 'EUR');
      assert.equal(p.quota, null, 'no quota bounds an admin');
      assert.deepEqual([p.capacity.fits, p.fits, p.changes], [true, true, true]);
    });

    it('applies: appliances owned by the admin, labelled with the stack, recorded with their members', async () => {
      applied = await apply(admin, doc1);
      assert.equal(applied.stack.version, 1);
      assert.deepEqual(applied.done.map((d) => [d.member, d.ordinal, d.action, d.kind]), [['web', 1, 'create', 'appliance'], ['web', 2, 'create', 'appliance'], ['db', 1, 'create', 'appliance']]);
      const me = await admin.ok<{ userId: string }>('GET', `${V1}/auth/me`);
      for (const d of applied.done) {
        const a = await admin.ok<Appliance>('GET', `${V1}/appliances/${d.id}`);
        assert.equal(a.spec.ownerId, me.userId);
        assert.equal(a.spec.imageId, cloud.product.spec.imageId);
        assert.equal(a.spec.requirements.virtualization, 'sim');
        assert.equal(a.spec.labels['fleetyard.io/stack'], applied.stack.id);
        assert.equal(a.spec.labels['fleetyard.io/stack-member'], `${d.member}-${d.ordinal}`);
      }
      await admin.waitAppliances(applied.done.map((d) => d.id), (a) => a?.status.phase === 'running', 'the stack running');
      assert.deepEqual(await eventsOf(applied.stack.id), ['stack.applied']);
    });

    it('shows the canonical document and each instance as it runs', async () => {
      const d = await admin.ok<StackDetail>('GET', `${V1}/stacks/shop`);
      assert.equal(d.id, applied.stack.id);
      assert.equal(d.yaml, applied.plan.yaml);
      assert.deepEqual(d.instances.map((i) => [i.member, i.ordinal, i.object?.state]), [['db', 1, 'running'], ['web', 1, 'running'], ['web', 2, 'running']]);
      assert.ok(d.instances.every((i) => i.object?.address), 'every instance has its address');
    });

    it('plans no changes for the same document, or for what show printed', async () => {
      for (const yaml of [doc1, (await admin.ok<StackDetail>('GET', `${V1}/stacks/shop`)).yaml]) {
        const p = await plan(admin, yaml);
        assert.equal(p.changes, false);
        assert.deepEqual(p.summary, { create: 0, keep: 3, change: 0, remove: 0 });
        assert.equal(p.price.changeCcuPerHour, 0);
        assert.equal(p.price.currentCcuPerHour, 3 * S_CCU);
      }
      const again = await apply(admin, doc1);
      assert.deepEqual([again.done, again.stack.version], [[], 1], 'an apply with nothing to do does nothing');
    });

    it('plans the removal of web #2 when its count goes from 2 to 1, and a replacement when db grows', async () => {
      const doc2 = stack('shop', member('web', { count: 1 }) + member('db', { size: 'm' }));
      const p = await plan(admin, doc2);
      const by = (m: string, o: number) => p.instances.find((i) => i.member === m && i.ordinal === o);
      assert.equal(by('web', 1)?.action, 'keep');
      assert.equal(by('web', 2)?.action, 'remove');
      assert.equal(by('web', 2)?.current?.id, applied.done[1]?.id);
      assert.deepEqual([by('db', 1)?.action, by('db', 1)?.how, by('db', 1)?.changes], ['change', 'replace', [{ field: 'size', from: '1 cpu, 64 MiB, 0 MiB disk', to: 'm' }]]);
      assert.equal(p.price.ccuPerHour, S_CCU + 20 + 1);
      assert.equal(p.price.changeCcuPerHour, S_CCU + 21 - 3 * S_CCU);

      const r = await apply(admin, doc2);
      assert.equal(r.stack.version, 2);
      const web2 = await admin.call<Appliance>('GET', `${V1}/appliances/${applied.done[1]?.id}`);
      assert.ok(web2.status === 404 || web2.body.deletionRequestedAt, 'web #2 is being deleted');
      const newDb = r.done.find((d) => d.member === 'db');
      assert.ok(newDb && newDb.id !== applied.done[2]?.id);
      assert.equal((await admin.ok<Appliance>('GET', `${V1}/appliances/${newDb.id}`)).spec.requirements.cpu, 2);
      assert.equal((await plan(admin, doc2)).changes, false);
    });

    it('refuses an apply at a version the stack is no longer at', async () => {
      await refused(admin, 'POST', `${V1}/stacks/apply`, { yaml: stack('shop', member('web')), version: 1 }, 409, 'FY_VERSION_CONFLICT');
      await refused(admin, 'PUT', `${V1}/stacks/shop`, { yaml: stack('shop', member('web')), version: 0 }, 409, 'FY_VERSION_CONFLICT');
    });

    it('deletes the stack: its appliances go, then the stack', async () => {
      const before = await admin.ok<StackDetail>('GET', `${V1}/stacks/shop`);
      const r = await admin.call<StackDeleteResult>('DELETE', `${V1}/stacks/shop`);
      assert.equal(r.status, 202);
      assert.deepEqual(r.body.removed.map((x) => x.id).sort(), before.instances.filter((i) => i.object && i.object.state !== 'deleting').map((i) => i.object?.id).sort());
      await refused(admin, 'GET', `${V1}/stacks/shop`, undefined, 404, 'FY_NOT_FOUND');
      await admin.waitAppliances(r.body.removed.map((x) => x.id), (a) => a === undefined, 'the appliances gone');
      assert.deepEqual(await eventsOf(before.id), ['stack.applied', 'stack.applied', 'stack.deleted']);
    });
  });

  describe('as a cloud user: one request per instance', () => {
    let user: User;
    let api: TestApi;
    const doc = (count: number, hours = 4) => stack('lab', member('node', { count }), `  hours: ${hours}\n`);
    let first: StackApplyResult;

    before(async () => {
      const password = 'carol-password-correct-horse';
      user = await admin.ok<User>('POST', `${V1}/users`, { name: 'carol', email: 'carol@example.test', password });
      await admin.ok('POST', `${V1}/ccu/grants`, { userId: user.id, ccu: 1000, note: 'welcome credits' });
      await admin.ok('PUT', `${V1}/quotas/users/${user.id}`, { appliances: 3 });
      api = new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'carol', password));
    });

    it('plans requests for the window, priced, within the quota', async () => {
      const p = await plan(api, doc(2));
      assert.equal(p.mode, 'requests');
      assert.equal(p.stack.ownerId, user.id);
      assert.deepEqual(p.window, { startAt: cloud.clock.now().toISOString(), endAt: new Date(cloud.clock.now().getTime() + 4 * 3_600_000).toISOString() });
      assert.deepEqual(p.instances.map((i) => [i.ordinal, i.action, i.kind]), [[1, 'create', 'request'], [2, 'create', 'request']]);
      assert.equal(p.price.ccuPerHour, 2 * S_CCU);
      assert.equal(p.price.createdTotalCcu, 2 * S_CCU * 4);
      assert.equal(p.quota?.user.appliances, 3);
      assert.deepEqual([p.quota?.fits, p.fits], [true, true]);
    });

    it('applies: two requests of quantity one, owned by the user, approved and active', async () => {
      first = await apply(api, doc(2));
      assert.equal(first.done.length, 2);
      for (const d of first.done) {
        assert.equal(d.kind, 'request');
        const r = await admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${d.id}`);
        assert.deepEqual([r.spec.ownerId, r.spec.productId, r.spec.size, r.spec.quantity, r.spec.virtualization], [user.id, cloud.product.id, 's', 1, 'sim']);
        assert.equal(Date.parse(r.spec.endAt) - Date.parse(r.spec.startAt), 4 * 3_600_000);
      }
      await cloud.until(async () => {
        const states = await Promise.all(first.done.map(async (d) => (await api.ok<CloudRequest>('GET', `${V1}/cloud/requests/${d.id}`)).status.state));
        return states.every((s) => s === 'active');
      }, 'both requests active');
      const d = await api.ok<StackDetail>('GET', `${V1}/stacks/lab`);
      assert.deepEqual(d.instances.map((i) => [i.kind, i.object?.state, i.object?.applianceIds.length]), [['request', 'active', 1], ['request', 'active', 1]]);
    });

    it('plans no changes the second time, an hour later too', async () => {
      cloud.clock.advance(3_600_000);
      const p = await plan(api, doc(2));
      assert.equal(p.changes, false, JSON.stringify(p.instances));
      assert.deepEqual(p.summary, { create: 0, keep: 2, change: 0, remove: 0 });
      assert.equal(p.price.currentCcuPerHour, 2 * S_CCU);
    });

    it('refuses what the quota does not allow, creating nothing', async () => {
      const p = await plan(api, doc(4));
      assert.equal(p.fits, false);
      assert.equal(p.quota?.fits, false);
      assert.match(p.reasons.join('; '), /quota exceeded: appliances: asks 2, 1 left/);
      const e = await refused(api, 'POST', `${V1}/stacks/apply`, { yaml: doc(4) }, 409, 'FY_QUOTA_EXCEEDED');
      assert.match(e.details?.breach ?? '', /appliances/);
      const requests = await api.ok<{ items: CloudRequest[] }>('GET', `${V1}/cloud/requests`);
      assert.equal(requests.items.length, 2, 'nothing was ordered');
      assert.equal((await api.ok<StackDetail>('GET', `${V1}/stacks/lab`)).version, 1);
    });

    it('refuses what the product does not offer a cloud user, at the member that asks', async () => {
      const e = await refused(api, 'POST', `${V1}/stacks/plan`, { yaml: stack('lab', member('node', { virtualization: 'qemu' }) + member('ha', { ha: true }), '  hours: 2\n') }, 422, 'FY_NOT_OFFERED');
      assert.deepEqual(e.details?.issues?.map((i) => [i.path, i.code, i.line]), [
        ['spec.appliances[0].virtualization', 'not-offered', 11],
        ['spec.appliances[1].ha', 'not-offered', 15],
      ]);
      // An admin is bound only by what exists.
      assert.equal((await plan(admin, stack('lab', member('node', { virtualization: 'qemu' })))).members[0]?.virtualization, 'qemu');
    });

    it('plans the removal of #2 when the count goes from 2 to 1, and applying it cancels that request', async () => {
      const p = await plan(api, doc(1));
      assert.deepEqual(p.instances.map((i) => [i.ordinal, i.action, i.current?.id]), [[1, 'keep', first.done[0]?.id], [2, 'remove', first.done[1]?.id]]);
      assert.equal(p.price.changeCcuPerHour, -S_CCU);
      const r = await apply(api, doc(1));
      assert.deepEqual(r.done.map((d) => [d.ordinal, d.action, d.id]), [[2, 'remove', first.done[1]?.id]]);
      const cancelled = await admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${first.done[1]?.id}`);
      assert.equal(cancelled.spec.cancelled, true);
      await cloud.until(async () => (await admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${first.done[1]?.id}`)).status.state === 'done', 'the removed request done');
      assert.equal((await plan(api, doc(1))).changes, false);
    });

    it('lists only the caller\'s own stacks', async () => {
      // The fake clock may just have jumped; the host counts as live again at its next heartbeat.
      await cloud.until(async () => (await plan(admin, stack('admins-own', member('x')))).capacity.fits, 'a live host for the admin\'s stack');
      await apply(admin, stack('admins-own', member('x')));
      const mine = await api.ok<{ items: StackListItem[] }>('GET', `${V1}/stacks`);
      assert.deepEqual(mine.items.map((s) => [s.name, s.ownerId, s.instances]), [['lab', user.id, 1]]);
      const all = await admin.ok<{ items: StackListItem[] }>('GET', `${V1}/stacks`);
      assert.deepEqual(all.items.map((s) => s.name).sort(), ['admins-own', 'lab']);
      const page = await admin.ok<{ items: StackListItem[]; nextCursor: string | null }>('GET', `${V1}/stacks?limit=1`);
      assert.equal(page.items.length, 1);
      const rest = await admin.ok<{ items: StackListItem[] }>('GET', `${V1}/stacks?cursor=${page.nextCursor}`);
      assert.deepEqual([...page.items, ...rest.items].map((s) => s.name).sort(), ['admins-own', 'lab']);
      const theirs = await admin.ok<{ items: StackListItem[] }>('GET', `${V1}/stacks?ownerId=${user.id}`);
      assert.deepEqual(theirs.items.map((s) => s.name), ['lab']);
      assert.equal((await admin.ok<StackDetail>('GET', `${V1}/stacks/lab?ownerId=${user.id}`)).ownerId, user.id);
    });

    it('deletes the stack: its live request is cancelled, then the stack is gone', async () => {
      const r = await api.call<StackDeleteResult>('DELETE', `${V1}/stacks/lab`);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual(r.body.removed.map((x) => [x.ordinal, x.kind, x.id]), [[1, 'request', first.done[0]?.id]]);
      assert.equal((await admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${first.done[0]?.id}`)).spec.cancelled, true);
      await refused(api, 'GET', `${V1}/stacks/lab`, undefined, 404, 'FY_NOT_FOUND');
      assert.deepEqual(await eventsOf(r.body.stack.id), ['stack.applied', 'stack.applied', 'stack.deleted']);
    });
  });

  describe('a document the API refuses', () => {
    it('answers FY_STACK_INVALID with every problem, its path, code and line', async () => {
      const yaml = stack('bad', member('web', { count: 99 }) + '      colour: red\n');
      const e = await refused(admin, 'POST', `${V1}/stacks/plan`, { yaml }, 400, 'FY_STACK_INVALID');
      assert.deepEqual(e.details?.issues?.map((i) => [i.path, i.code, i.line]), [
        ['spec.appliances[0].count', 'invalid-value', 10],
        ['spec.appliances[0].colour', 'unknown-field', 11],
      ]);
      const syntax = await refused(admin, 'POST', `${V1}/stacks/apply`, { yaml: 'kind: [Stack\n' }, 400, 'FY_STACK_INVALID');
      assert.equal(syntax.details?.issues?.[0]?.code, 'yaml-syntax');
    });

    it('names a product, size or network that does not exist, and a cloud user who says no hours', async () => {
      const e = await refused(admin, 'POST', `${V1}/stacks/plan`, {
        yaml: stack('bad', member('a', { product: 'nothing' }) + member('b', { size: 'xxl' }) + '    - name: c\n      product: small\n      size: s\n      network: elsewhere\n'),
      }, 400, 'FY_STACK_INVALID');
      assert.deepEqual(e.details?.issues?.map((i) => [i.path, i.code, i.line]), [
        ['spec.appliances[0].product', 'unknown-product', 8],
        ['spec.appliances[1].size', 'unknown-size', 12],
        ['spec.appliances[2].network', 'unknown-network', 16],
      ]);
      const password = 'dave-password-correct-horse';
      await admin.ok('POST', `${V1}/users`, { name: 'dave', email: 'dave@example.test', password });
      const dave = new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'dave', password));
      const hours = await refused(dave, 'POST', `${V1}/stacks/plan`, { yaml: stack('x', member('a')) }, 400, 'FY_STACK_INVALID');
      assert.deepEqual(hours.details?.issues?.map((i) => [i.path, i.code]), [['spec.hours', 'required']]);
    });

    it('checks further networks: each once and not the first (duplicate-network), each existing, admins only', async () => {
      const nets = (more: string, network = '') => stack('nets', `    - name: a\n      product: small\n      size: s\n${network}      moreNetworks: ${more}\n`);
      const e = await refused(admin, 'POST', `${V1}/stacks/plan`, { yaml: nets('[lan, lan, default]') }, 400, 'FY_STACK_INVALID');
      assert.deepEqual(e.details?.issues?.map((i) => [i.path, i.code, i.line]), [
        ['spec.appliances[0].moreNetworks[1]', 'duplicate-network', 10],
        ['spec.appliances[0].moreNetworks[2]', 'duplicate-network', 10],
      ]);
      const unknown = await refused(admin, 'POST', `${V1}/stacks/plan`, { yaml: nets('[nowhere]') }, 400, 'FY_STACK_INVALID');
      assert.deepEqual(unknown.details?.issues?.map((i) => [i.path, i.code]), [['spec.appliances[0].moreNetworks[0]', 'unknown-network']]);
      const store = cloud.cp.store;
      await store.read.networks.insert({
        ...freshMeta(store.ids.next(), 'lan', store.clock.now()),
        spec: { bridge: 'fytlan0', cidr: '10.203.0.0/29', gateway: '10.203.0.1', excluded: [] },
        status: {},
      });
      const p = await plan(admin, nets('[lan]'));
      assert.deepEqual(p.members.map((m) => [m.network, m.moreNetworks]), [['default', ['lan']]]);
      assert.match(p.yaml, /^ {6}moreNetworks:\n {8}- lan$/m, 'kept in the canonical text');
      const applied = await apply(admin, nets('[lan]'));
      const made = await admin.ok<Appliance>('GET', `${V1}/appliances/${applied.done[0]?.id}`);
      assert.deepEqual(made.spec.moreNetworks, ['lan']);
      await admin.ok('DELETE', `${V1}/stacks/nets`);
      const password = 'erin-password-correct-horse';
      await admin.ok('POST', `${V1}/users`, { name: 'erin', email: 'erin@example.test', password });
      const erin = new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'erin', password));
      const cloudUser = await refused(erin, 'POST', `${V1}/stacks/plan`, { yaml: stack('nets', `    - name: a\n      product: small\n      size: s\n      moreNetworks: [lan]\n`, '  hours: 2\n') }, 422, 'FY_NOT_OFFERED');
      assert.deepEqual(cloudUser.details?.issues?.map((i) => [i.path, i.code]), [['spec.appliances[0].moreNetworks', 'not-offered']]);
    });

    it('refuses a PUT whose document names another stack, and a bad name in the path', async () => {
      const e = await refused(admin, 'PUT', `${V1}/stacks/other`, { yaml: stack('bad', member('a')) }, 400, 'FY_STACK_INVALID');
      assert.equal(e.details?.issues?.[0]?.path, 'metadata.name');
      await refused(admin, 'GET', `${V1}/stacks/${encodeURIComponent('no/such name')}`, undefined, 400, 'FY_VALIDATION');
      await refused(admin, 'POST', `${V1}/stacks/plan`, { yaml: stack('x', member('a')), extra: 1 }, 400, 'FY_VALIDATION');
    });
  });
});
