import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * An appliance's configuration on its page: the Puppet classes its groups give it, with their
 * parameters merged in the groups' order, and the cloud-init user-data a VM boots with. The
 * appliance is never started: what the page shows is what its groups make of it.
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

describe('the configuration of an appliance', () => {
  it("shows its groups' Puppet classes and its cloud-init user-data", async () => {
    const { page } = w;
    await fx.cloud.admin.ok('POST', '/api/v1/config-groups', {
      name: 'base',
      puppet: { classes: { ntp: { servers: ['169.254.0.1'] }, motd: {} } },
      cloudInit: { cloudConfig: { packages: ['curl'] } },
    });
    await fx.cloud.admin.ok('POST', '/api/v1/config-groups', {
      name: 'web',
      puppet: { classes: { ntp: { servers: ['169.254.0.2'] } } },
      cloudInit: { cloudConfig: { packages: ['nginx'] } },
    });
    const a = await fx.cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', {
      name: 'configured-web',
      imageId: fx.cloud.product.spec.imageId,
      start: false,
      configGroups: ['base', 'web'],
    });
    try {
      await signIn(page, 'admin', fx.adminPassword);
      await page.goto(`/admin/appliances/${a.id}`);
      await page.getByRole('heading', { name: 'Configuration' }).waitFor();
      const rows = page.getByTestId('enc-classes').getByRole('row');
      await rows.nth(2).waitFor();
      assert.deepEqual(await rows.allTextContents(), ['ClassParameters', 'ntp{"servers":["169.254.0.2"]}', 'motd—']);
      await page.getByText('base, web').waitFor();
      const userData = (await page.getByTestId('cloud-init-user-data').textContent()) ?? '';
      assert.match(userData, /^#cloud-config\n/);
      assert.match(userData, /packages:\n {2}- curl\n {2}- nginx\n/);
      assert.match(userData, /hostname: configured-web/);
      assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the configuration card');
      await screenshot(page, 'admin-appliance-configuration');
      assert.deepEqual(w.errors, []);
    } finally {
      await fx.cloud.admin.call('DELETE', `/api/v1/appliances/${a.id}`);
      await fx.cloud.admin.waitAppliances([a.id], (x) => x === undefined, 'deleted', 30_000).catch(() => undefined);
    }
  });
});
