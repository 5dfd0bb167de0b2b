import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The High availability page on a cloud with one real host: its lease is shown live, and the N+1
 * verdict turns when an HA appliance arrives that no other host could take, without a reload.
 * Then the placement constraints a failover honours: the host's labels on the Resources page (live
 * when an admin labels it) and an appliance's host labels and anti-affinity group on its page.
 */
let fx: ConsoleFixture;
let w: WatchedPage;
const ids: string[] = [];

before(async () => {
  fx = await startConsole();
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  for (const id of ids) await fx?.cloud.admin.call('DELETE', `/api/v1/appliances/${id}`).catch(() => undefined);
  await w?.context.close();
  await fx?.close();
});

describe('the High availability page', () => {
  it('shows each host lease and the N+1 plan, and follows an HA appliance arriving', async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    await page.waitForURL(/\/admin$/);
    await page.getByRole('link', { name: 'High availability' }).click();
    await page.getByRole('heading', { name: 'High availability', level: 1 }).waitFor();
    const leases = page.getByTestId('host-leases');
    await leases.getByText('live').waitFor();
    await page.getByTestId('n1-badge').getByText('N+1 holds').waitFor();

    const created = await fx.cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'ha-web', imageId: fx.cloud.product.spec.imageId, ha: true });
    ids.push(created.id);
    // One host only: if it failed, ha-web could restart nowhere. The page hears it from the stream.
    await page.getByTestId('n1-badge').getByText('N+1 lost').waitFor({ timeout: 30_000 });
    await page.getByText('ha-web').first().waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'high-availability');
    assert.deepEqual(w.errors, []);
  });

  it('shows the host labels and an appliance\'s placement constraints', async () => {
    const { page } = w;
    const [host] = (await fx.cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?role=host')).items;
    assert.ok(host);
    await page.getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('heading', { name: 'Resources', level: 1 }).waitFor();
    await fx.cloud.admin.ok('PUT', `/api/v1/hosts/${host.id}/labels`, { labels: { tier: 'gold', zone: 'a' } });
    await page.getByTestId('host-labels').filter({ hasText: 'tier=gold,zone=a' }).waitFor({ timeout: 15_000 });

    const db = await fx.cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', {
      name: 'ha-db',
      imageId: fx.cloud.product.spec.imageId,
      ha: true,
      placement: { hostLabels: { tier: 'gold' }, antiAffinity: 'db' },
    });
    ids.push(db.id);
    await page.goto(`${fx.url}/admin/appliances/${db.id}`);
    await page.getByTestId('placement').filter({ hasText: 'hosts labelled tier=gold; never beside another of anti-affinity group db' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.deepEqual(w.errors, []);
  });
});
