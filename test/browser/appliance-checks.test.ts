import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { CHECKED_APPLIANCE_SCRIPT, poke } from '../support/checked-appliance.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * An appliance's health checks on its page, on a whole cloud with the real container driver and
 * the real check_http: the admin watches an HA appliance's check go from OK to WARNING (soft) and
 * CRITICAL as its web server is broken, sees it restarted and OK again, all without reloading;
 * its owner, a cloud user, follows the same states in the portal's list of their appliances.
 */
let fx: ConsoleFixture;
let w: WatchedPage;
let portal: WatchedPage;

before(async () => {
  fx = await startConsole();
  w = await openPage(fx.browser, fx.url);
  portal = await openPage(fx.browser, fx.url);
});

after(async () => {
  await w?.context.close();
  await portal?.context.close();
  await fx?.close();
});

describe('the health checks of an appliance', () => {
  it('follow the check live: OK, WARNING soft, CRITICAL, the restart and OK again', async () => {
    const { page } = w;
    const owner = await fx.newUser('olga');
    const a = await fx.cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', {
      name: 'checked-web',
      ownerId: owner.user.id,
      imageId: fx.cloud.product.spec.imageId,
      ha: true,
      command: ['/bin/sh', '-c', CHECKED_APPLIANCE_SCRIPT],
      checks: [{ name: 'web', kind: 'http', port: 80, path: '/health', intervalSeconds: 1, retryIntervalSeconds: 1, maxCheckAttempts: 5 }],
    });
    try {
      await signIn(page, 'admin', fx.adminPassword);
      await page.goto(`/admin/appliances/${a.id}`);
      await page.getByRole('heading', { name: 'Health checks' }).waitFor();
      const row = page.getByTestId('check-web');
      const state = row.getByTestId('check-state');
      await row.getByText('HTTP /health').waitFor();
      await state.filter({ hasText: 'OK hard' }).waitFor({ timeout: 90_000 });
      assert.match((await row.getByTestId('check-output').textContent()) ?? '', /^HTTP OK/);
      assert.deepEqual(await accessibilityViolations(page), [], 'accessibility with a check OK');
      await signIn(portal.page, 'olga', owner.password);
      await portal.page.goto('/portal/appliances');
      const health = portal.page.getByTestId('check-summary').getByTestId('check-state');
      await health.filter({ hasText: 'web OK hard' }).waitFor();
      assert.deepEqual(await accessibilityViolations(portal.page), [], 'accessibility of the portal with a check');

      const address = (await page.getByTestId('address').textContent()) ?? '';
      assert.match(await poke(address, 'break'), /broken/);
      await state.filter({ hasText: 'WARNING soft' }).waitFor({ timeout: 30_000 });
      assert.match((await row.getByTestId('check-output').textContent()) ?? '', /404/);
      await poke(address, 'stop');
      await state.filter({ hasText: /CRITICAL (soft|hard)/ }).waitFor({ timeout: 30_000 });
      assert.match((await row.getByTestId('check-output').textContent()) ?? '', /refused/i);
      assert.deepEqual(await accessibilityViolations(page), [], 'accessibility with a check CRITICAL');
      await health.filter({ hasText: /web CRITICAL (soft|hard)/ }).waitFor({ timeout: 30_000 });
      await screenshot(portal.page, 'portal-appliance-health');

      // Being HA, it is restarted in place, and the check is OK again.
      await page.getByTestId('last-restart').filter({ hasText: 'restarted' }).waitFor({ timeout: 60_000 });
      await state.filter({ hasText: 'OK hard' }).waitFor({ timeout: 60_000 });
      await screenshot(page, 'admin-appliance-checks');
      await health.filter({ hasText: 'web OK hard' }).waitFor({ timeout: 30_000 });
      assert.deepEqual(w.errors, []);
      assert.deepEqual(portal.errors, []);
    } finally {
      await fx.cloud.admin.call('DELETE', `/api/v1/appliances/${a.id}`);
      await fx.cloud.admin.waitAppliances([a.id], (x) => x === undefined, 'deleted', 30_000).catch(() => undefined);
    }
  });
});
