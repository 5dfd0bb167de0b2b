import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Network } from '../../src/domain/network.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The admin's Networks page against a whole cloud on loopback: a network made through the form
 * (IPv4 and IPv6 pools, spanning hosts) appears with its address use, a form the server refuses
 * says why, a network an appliance names is not deleted and the page says which appliance, a
 * change through the network's page shows, and the delete goes through once nothing uses it.
 * The appliance is never started, so nothing is made on the host; the cloud goes in `after`.
 */
let fx: ConsoleFixture | undefined;
let w: WatchedPage;
let cidr: string;
let image: Image;
/** Chromium reports every answer ≥ 400 as a console error; the refusals here are on purpose. */
const REFUSED = /Failed to load resource: the server responded with a status of (400|409)/;

before(async () => {
  fx = await startConsole();
  w = await openPage(fx.browser, fx.url);
  const def = (await fx.cloud.admin.ok<{ items: Network[] }>('GET', '/api/v1/networks?name=default')).items[0] as Network;
  const third = Number((def.spec.cidr as string).split('.')[2]);
  cidr = `169.254.${third === 210 ? 211 : 210}.0/24`;
  // The cloud comes with its base image.
  image = (await fx.cloud.admin.ok<{ items: Image[] }>('GET', '/api/v1/images?name=base')).items[0] as Image;
});

after(async () => {
  await w?.context.close();
  await fx?.close();
});

function cloud(): ConsoleFixture {
  assert.ok(fx, 'the console did not start');
  return fx;
}

const table = (page: Page, caption: string) => page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
const row = (page: Page, text: string) => table(page, 'Networks').getByTestId('row').filter({ hasText: text });

async function cleanDialog(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help}`);
  assert.deepEqual(bad, [], `accessibility of ${what}`);
}

describe('the admin Networks page', () => {
  it('creates a network through the form and shows its address use; a refused form says why', async () => {
    const { page } = w;
    await signIn(page, 'admin', cloud().adminPassword);
    await page.getByRole('link', { name: 'Networks' }).click();
    await page.getByRole('heading', { name: 'Networks', level: 1 }).waitFor();
    await row(page, 'default').filter({ hasText: 'configuration' }).waitFor();

    await page.getByRole('button', { name: 'Create network' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a network' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('web-net');
    await dialog.getByRole('textbox', { name: 'Bridge' }).fill('fywebnet');
    // The default network's range: the server refuses it and says so.
    await dialog.getByRole('textbox', { name: 'IPv4 CIDR' }).fill(cloud().cloud.net.cidr);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByTestId('error-code').filter({ hasText: 'FY_VALIDATION' }).waitFor();
    assert.match((await dialog.getByRole('alert').textContent()) ?? '', /overlaps network default/);
    await cleanDialog(page, 'the network form with a refusal');

    await dialog.getByRole('textbox', { name: 'IPv4 CIDR' }).fill(cidr);
    await dialog.getByRole('textbox', { name: 'IPv6 CIDR' }).fill('fd00:77::/64');
    await dialog.getByRole('checkbox', { name: 'Spans hosts (VXLAN)' }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const net = row(page, 'web-net');
    await net.getByTestId('address-use').filter({ hasText: '0 / 253 · IPv6 0 / 18446744073709551614' }).waitFor();
    assert.match((await net.textContent()) ?? '', /VNI \d+/);
    const stored = (await cloud().cloud.admin.ok<{ items: Network[] }>('GET', '/api/v1/networks?name=web-net')).items[0];
    assert.equal(stored?.spec.mtu, 1450);
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the networks page');
    await screenshot(page, 'networks-admin');
  });

  it('refuses to delete a network an appliance names, with the reason, and deletes it once nothing does', async () => {
    const { page } = w;
    const a = await cloud().cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'web-1', imageId: image.id, network: 'web-net', start: false });
    await row(page, 'web-net').getByRole('button', { name: 'Delete web-net' }).click();
    await page.getByRole('dialog', { name: 'Delete network web-net?' }).getByRole('button', { name: 'Delete' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Network web-net was not deleted' });
    await alert.getByTestId('error-code').filter({ hasText: 'FY_NETWORK_IN_USE' }).waitFor();
    assert.match((await alert.textContent()) ?? '', /used by 1 appliance: web-1/);

    await row(page, 'web-net').getByRole('link', { name: 'web-net' }).click();
    await page.getByRole('heading', { name: 'Network web-net', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Change' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change network web-net' });
    await dialog.getByRole('textbox', { name: 'MTU' }).fill('9000');
    await cleanDialog(page, 'the change form');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('MTU: 9000').waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of a network');

    await cloud().cloud.admin.deleteAppliancesQuietly([a.id]);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete network web-net?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Networks', level: 1 }).waitFor();
    await row(page, 'default').waitFor();
    await row(page, 'web-net').waitFor({ state: 'detached' });
    assert.deepEqual((await cloud().cloud.admin.ok<{ items: Network[] }>('GET', '/api/v1/networks?name=web-net')).items, []);
  });

  it('creates an IPv6-only network when the IPv4 CIDR is left empty', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Create network' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a network' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('six-net');
    await dialog.getByRole('textbox', { name: 'Bridge' }).fill('fysixnet');
    await dialog.getByRole('textbox', { name: 'IPv6 CIDR' }).fill('fd00:78::/64');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const six = row(page, 'six-net');
    await six.getByTestId('address-use').filter({ hasText: /^IPv6 0 \/ 18446744073709551614$/ }).waitFor();
    await six.getByRole('link', { name: 'six-net' }).click();
    await page.getByRole('heading', { name: 'Network six-net', level: 1 }).waitFor();
    await page.getByText('CIDR: none (IPv6 only)').waitFor();
    await page.getByTestId('address-counts').filter({ hasText: /^IPv6: 0 used/ }).waitFor();
    const stored = (await cloud().cloud.admin.ok<{ items: Network[] }>('GET', '/api/v1/networks?name=six-net')).items[0];
    assert.deepEqual([stored?.spec.cidr, stored?.spec.ipv6?.cidr], [null, 'fd00:78::/64']);
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of an IPv6-only network');
    await page.getByRole('link', { name: 'Networks', exact: true }).click();
    await page.getByRole('heading', { name: 'Networks', level: 1 }).waitFor();
    await cloud().cloud.admin.ok('DELETE', `/api/v1/networks/${stored?.id}`);
  });

  it('ran without console errors but the refusals', () => {
    assert.deepEqual(w.errors.filter((e) => !REFUSED.test(e)), []);
    assert.equal(w.errors.filter((e) => REFUSED.test(e)).length, 2, w.errors.join('\n'));
  });
});
