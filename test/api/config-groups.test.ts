import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { ConfigGroup } from '../../src/domain/config-group.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { tokenFor } from '../support/session.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/** The configuration group routes and the `configGroups` of products and appliances, on a real control plane. */
const V1 = '/api/v1';
const PLAYBOOK = '- hosts: all\n  gather_facts: false\n  tasks:\n    - raw: echo hello > /etc/motd\n';
let cp: SimControlPlane;
let admin: TestApi;
let user: TestApi;
let imageId: string;

type Refusal = { error: { code: string; message: string; details?: Record<string, unknown> } };

before(async () => {
  cp = await startSimControlPlane();
  admin = new TestApi(cp.cp.url, cp.cp.adminToken);
  await admin.ok<User>('POST', `${V1}/users`, { name: 'erin', email: 'erin@example.test', password: 'erin-password-correct-horse' });
  user = new TestApi(cp.cp.url, await tokenFor(cp.cp.url, 'erin', 'erin-password-correct-horse'));
  imageId = (await admin.uploadImage('base', baseImageTar())).id;
});

after(async () => {
  await cp?.cleanup();
});

const eventsOf = async (id: string) => (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?objectId=${id}&limit=50`)).items;

describe('configuration groups', () => {
  it('defines a group at revision 1, and each change bumps the revision with an event', async () => {
    const g = await admin.ok<ConfigGroup>('POST', `${V1}/config-groups`, { name: 'motd', description: 'a greeting', ansible: { playbook: PLAYBOOK } });
    assert.deepEqual(g.spec, { description: 'a greeting', revision: 1, ansible: { playbook: PLAYBOOK }, puppet: null, cloudInit: null });
    const changed = await admin.ok<ConfigGroup>('PATCH', `${V1}/config-groups/${g.id}`, { description: 'a warmer greeting' });
    assert.equal(changed.spec.revision, 2);
    assert.equal(changed.spec.ansible?.playbook, PLAYBOOK, 'what the change did not name stays');
    const dropped = await admin.ok<ConfigGroup>('PATCH', `${V1}/config-groups/${g.id}`, { ansible: null });
    assert.deepEqual([dropped.spec.revision, dropped.spec.ansible], [3, null]);
    const events = (await eventsOf(g.id)).map((e) => [e.type, e.data.revision]);
    assert.deepEqual(events, [['config-group.created', 1], ['config-group.updated', 2], ['config-group.updated', 3]]);
    const listed = await admin.ok<{ items: ConfigGroup[] }>('GET', `${V1}/config-groups?name=motd`);
    assert.deepEqual(listed.items.map((i) => i.id), [g.id]);
  });

  it('refuses a playbook that is no list of plays, and a taken name', async () => {
    for (const playbook of ['hosts: all', '- [a]', '- hosts: all\n  tasks: [', '[]']) {
      const r = await admin.call<Refusal>('POST', `${V1}/config-groups`, { name: 'broken', ansible: { playbook } });
      assert.equal(r.status, 400, playbook);
      assert.deepEqual([r.body.error.code, r.body.error.details?.field], ['FY_VALIDATION', 'ansible.playbook'], playbook);
    }
    const taken = await admin.call<Refusal>('POST', `${V1}/config-groups`, { name: 'motd' });
    assert.deepEqual([taken.status, taken.body.error.code], [409, 'FY_NAME_TAKEN']);
    assert.equal((await admin.ok<{ items: unknown[] }>('GET', `${V1}/config-groups?name=broken`)).items.length, 0);
  });

  it('lets products and appliances carry only groups that exist, and refuses to delete a carried one, naming the carriers', async () => {
    const g = await admin.ok<ConfigGroup>('POST', `${V1}/config-groups`, { name: 'ntp', ansible: { playbook: PLAYBOOK } });
    const size = [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }];
    const missing = await admin.call<Refusal>('POST', `${V1}/products`, { name: 'web', imageId, sizes: size, virtualizations: ['sim'], configGroups: ['ntp', 'nope'] });
    assert.deepEqual([missing.status, missing.body.error.code, missing.body.error.details?.field], [404, 'FY_NOT_FOUND', 'configGroups']);
    const twice = await admin.call<Refusal>('POST', `${V1}/products`, { name: 'web', imageId, sizes: size, virtualizations: ['sim'], configGroups: ['ntp', 'ntp'] });
    assert.deepEqual([twice.status, twice.body.error.code], [400, 'FY_VALIDATION']);
    const product = await admin.ok<Product>('POST', `${V1}/products`, { name: 'web', imageId, sizes: size, virtualizations: ['sim'], configGroups: ['ntp'] });
    assert.deepEqual(product.spec.configGroups, ['ntp']);
    const patchMissing = await admin.call<Refusal>('PATCH', `${V1}/products/${product.id}`, { configGroups: ['gone'] });
    assert.equal(patchMissing.status, 404);
    const badAppliance = await admin.call<Refusal>('POST', `${V1}/appliances`, { name: 'box', imageId, start: false, configGroups: ['gone'] });
    assert.deepEqual([badAppliance.status, badAppliance.body.error.code], [404, 'FY_NOT_FOUND']);
    const appliance = await admin.ok<Appliance>('POST', `${V1}/appliances`, { name: 'box', imageId, start: false, configGroups: ['ntp'] });
    assert.deepEqual(appliance.spec.configGroups, ['ntp']);

    const refused = await admin.call<Refusal>('DELETE', `${V1}/config-groups/${g.id}`);
    assert.deepEqual([refused.status, refused.body.error.code], [409, 'FY_CONFIG_GROUP_IN_USE']);
    assert.match(refused.body.error.message, /product web/);
    assert.match(refused.body.error.message, /appliance box/);
    assert.deepEqual(refused.body.error.details, { products: ['web'], appliances: ['box'] });
    const usage = await admin.ok<{ products: Array<{ name: string }>; appliances: Array<{ name: string; applied: unknown }> }>('GET', `${V1}/config-groups/${g.id}/usage`);
    assert.deepEqual(usage, { products: [{ id: product.id, name: 'web' }], appliances: [{ id: appliance.id, name: 'box', applied: null }] });

    await admin.ok('PATCH', `${V1}/products/${product.id}`, { configGroups: [] });
    await admin.ok('DELETE', `${V1}/appliances/${appliance.id}`);
    await admin.waitAppliances([appliance.id], (a) => a === undefined, 'the appliance is gone');
    const deleted = await admin.call('DELETE', `${V1}/config-groups/${g.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await admin.call('GET', `${V1}/config-groups/${g.id}`)).status, 404);
    assert.deepEqual((await eventsOf(g.id)).map((e) => e.type), ['config-group.created', 'config-group.deleted']);
  });

  it('is for admins only: a cloud user reads and changes nothing', async () => {
    const g = (await admin.ok<{ items: ConfigGroup[] }>('GET', `${V1}/config-groups?name=motd`)).items[0] as ConfigGroup;
    for (const [method, path, body] of [
      ['GET', `${V1}/config-groups`],
      ['GET', `${V1}/config-groups/${g.id}`],
      ['POST', `${V1}/config-groups`, { name: 'mine' }],
      ['PATCH', `${V1}/config-groups/${g.id}`, { description: 'mine' }],
      ['DELETE', `${V1}/config-groups/${g.id}`],
    ] as const) {
      const r = await user.call<Refusal>(method, path, body);
      assert.deepEqual([r.status, r.body.error.code], [403, 'FY_FORBIDDEN'], `${method} ${path}`);
    }
    assert.equal((await admin.ok<ConfigGroup>('GET', `${V1}/config-groups/${g.id}`)).spec.revision, 3);
  });
});
