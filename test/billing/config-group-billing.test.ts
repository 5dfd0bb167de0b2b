import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, TEST_PRICE_LIST, type CloudFixture } from '../support/cloud-fixture.ts';
import { tokenFor } from '../support/session.ts';

/**
 * Billing per configuration group: when the price list names a group, every appliance carrying
 * it is billed that rate, on top of its size. A cloud on the simulated driver and a fake clock;
 * the group has only a Puppet part, so nothing is run against the appliance (the simulated driver
 * has none to run it on) and the request goes active as soon as it runs.
 */
const HOUR = 3_600_000;
let cloud: CloudFixture;
let user: TestApi;
let userId: string;
let product: Product;

before(async () => {
  cloud = await startCloud({ drivers: [new SimDriver({})], policy: { autoApproveMaxCcu: 1_000, provisionLeadMs: 10 * 60_000 } });
  await cloud.admin.ok('PUT', '/api/v1/ccu/price-list', { ...TEST_PRICE_LIST, ccuPerHour: { ...TEST_PRICE_LIST.ccuPerHour, configGroups: { monitoring: 2.5 } } });
  await cloud.admin.ok('POST', '/api/v1/config-groups', { name: 'monitoring', puppet: { classes: { 'monitoring::agent': {} } } });
  await cloud.admin.ok('POST', '/api/v1/config-groups', { name: 'motd', puppet: { classes: { motd: {} } } });
  product = await cloud.admin.ok<Product>('POST', '/api/v1/products', {
    name: 'monitored',
    imageId: cloud.product.spec.imageId,
    sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
    virtualizations: ['sim'],
    configGroups: ['monitoring', 'motd'],
  });
  const u = await cloud.admin.ok<User>('POST', '/api/v1/users', { name: 'dave', email: 'dave@example.test', password: 'dave-password-correct-horse' });
  userId = u.id;
  await cloud.admin.ok('POST', '/api/v1/ccu/grants', { userId, ccu: 100, note: 'welcome credits' });
  user = new TestApi(cloud.cp.url, await tokenFor(cloud.cp.url, 'dave', 'dave-password-correct-horse'));
});

after(async () => {
  await cloud?.close();
});

describe('a product whose configuration group the price list names', () => {
  it('quotes, meters and debits the group rate per appliance', async () => {
    const t0 = cloud.clock.now().getTime();
    const order = { productId: product.id, size: 's', quantity: 2, startAt: new Date(t0 + HOUR).toISOString(), endAt: new Date(t0 + 3 * HOUR).toISOString() };
    // The `s` size on sim: 1 cpu × 10 + 1/16 GiB × 8 = 10.5 CCU/h; the monitoring group 2.5 more; motd is not priced.
    const quote = await user.ok<{ ccuPerHour: number; components: Array<{ component: string; ccuPerHour: number }> }>('POST', '/api/v1/cloud/quote', order);
    assert.equal(quote.ccuPerHour, 26);
    assert.deepEqual(quote.components.filter((c) => c.component.startsWith('configGroup:')), [{ component: 'configGroup:monitoring', quantity: 2, ccuPerHour: 5 }]);

    const request = await user.ok<CloudRequest>('POST', '/api/v1/cloud/requests', order);
    cloud.clock.set(new Date(t0 + HOUR));
    await cloud.until(async () => (await user.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`)).status.state === 'active', 'the request going active');
    cloud.clock.set(new Date(t0 + 2 * HOUR));
    const debits = async () => (await user.ok<{ items: Array<{ kind: string; amountMilli: number }> }>('GET', '/api/v1/ccu/ledger')).items.filter((e) => e.kind === 'debit');
    await cloud.until(async () => (await debits()).length >= 2, 'one posting per appliance');
    // An hour of two appliances at 13 CCU/h each.
    assert.equal((await debits()).reduce((s, e) => s + e.amountMilli, 0), -26_000);
  });
});
