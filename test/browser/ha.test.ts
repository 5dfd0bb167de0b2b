import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The High availability page on a cloud with one real host: its lease is shown live, and the N+1
 * verdict turns when an HA appliance arrives that no other host could take, without a reload.
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
});
