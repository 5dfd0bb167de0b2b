import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The DNS records page: an admin watches the `default` network's zone (fleetyard.internal, the
 * embedded backend) gain an appliance's A and PTR records when it runs and lose them when it is
 * deleted, without reloading.
 */
let fx: ConsoleFixture;
let w: WatchedPage;

before(async () => {
  fx = await startConsole();
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  await w?.context.close();
  await fx?.close();
});

describe('the DNS records page', () => {
  it("follows a zone's records live as an appliance comes and goes", async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    await page.goto('/admin/dns');
    await page.getByRole('heading', { name: 'DNS records' }).waitFor();
    await page.getByTestId('zone').filter({ hasText: 'fleetyard.internal' }).waitFor();
    assert.match((await page.getByTestId('zone').textContent()) ?? '', /embedded/);

    const a = await fx.cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', {
      name: 'named-web',
      imageId: fx.cloud.product.spec.imageId,
      requirements: { virtualization: 'sim' },
    });
    try {
      await fx.cloud.admin.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
      const address = (await fx.cloud.admin.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`)).status.address as string;
      const row = page.getByTestId('record-A-named-web.fleetyard.internal');
      await row.filter({ hasText: address }).waitFor();
      const reverse = `${address.split('.').reverse().join('.')}.in-addr.arpa`;
      await page.getByTestId(`record-PTR-${reverse}`).filter({ hasText: 'named-web.fleetyard.internal' }).waitFor();
      assert.deepEqual(await accessibilityViolations(page), [], 'accessibility with records');
      await screenshot(page, 'admin-dns-records');

      await fx.cloud.admin.ok('DELETE', `/api/v1/appliances/${a.id}`);
      await row.waitFor({ state: 'detached', timeout: 30_000 });
      assert.deepEqual(w.errors, []);
    } finally {
      await fx.cloud.admin.call('DELETE', `/api/v1/appliances/${a.id}`);
      await fx.cloud.admin.waitAppliances([a.id], (x) => x === undefined, 'deleted', 30_000).catch(() => undefined);
    }
  });
});
