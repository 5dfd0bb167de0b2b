import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { aMeter, HOUR } from '../billing/fixture.ts';
import { accessibilityViolations, openPage, PHONE, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';
import { freshMeta } from '../../src/domain/meta.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * The admin console's dashboard and appliance pages on a whole cloud with the real container
 * driver. The admin sees the data center's figures and the CCU burn chart, creates an appliance
 * through the form and watches it run with its address, reads its console, stops it and deletes
 * it, and nothing needs a reload: the detail page and a dashboard open on a phone follow along.
 */
let fx: ConsoleFixture;
/** A second network, which the appliance made through the form joins as its eth1. */
let backend: TestNetwork;
let w: WatchedPage;
let phone: WatchedPage;

before(async () => {
  fx = await startConsole();
  // Six hours of history, which a real-clock test cannot wait for: a meter opened six hours ago
  // (as a request would have) and a posting run, which debits each hour through the billing code.
  const { user } = await fx.newUser('erin', { ccu: 500 });
  await aMeter(fx.cloud.cp.store, user.id, 12_500, new Date(Date.now() - 6 * HOUR));
  await fx.cloud.cp.billing.runNow();
  const store = fx.cloud.cp.store;
  const first = (await store.read.networks.getByName('default'))?.spec.cidr;
  backend = await makeTestNetwork();
  for (let i = 0; i < 20 && backend.cidr === first; i++) backend = await makeTestNetwork();
  await store.read.networks.insert({
    ...freshMeta(store.ids.next(), 'backend', store.clock.now()),
    spec: { bridge: backend.bridge, cidr: backend.cidr, gateway: backend.gateway, excluded: [] },
    status: {},
  });
  w = await openPage(fx.browser, fx.url);
  phone = await openPage(fx.browser, fx.url, PHONE);
});

after(async () => {
  await w?.context.close();
  await phone?.context.close();
  await fx?.close();
  await backend?.cleanup();
});

/** The figure a dashboard tile shows, e.g. tile('appliances-running') → 1. */
async function tile(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).locator('span').first().textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
}

async function chartIsDrawn(page: Page): Promise<boolean> {
  return page.getByTestId('ccu-chart').evaluate((el) => {
    const canvas = el.querySelector('canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    // Something was painted: bars or axes, not a blank canvas.
    return !!pixels && pixels.some((v, i) => i % 4 === 3 && v > 0);
  });
}

describe('the admin dashboard', () => {
  it('shows capacity, hosts, appliances, requests and the CCU burn as a chart', async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByTestId('capacity-container').waitFor();
    assert.match((await page.getByTestId('capacity-container').textContent()) ?? '', /1 of 1 host live/);
    assert.equal(await tile(page, 'hosts-total'), 1);
    assert.equal(await tile(page, 'hosts-active'), 1);
    assert.equal(await tile(page, 'appliances-total'), 0);
    assert.equal(await page.getByTestId('appliances-running').getAttribute('href'), '/admin/appliances?phase=running');
    assert.equal(await page.getByTestId('requests-active').getAttribute('href'), '/admin/requests?state=active');
    assert.equal(await page.getByRole('link', { name: /0 appliances/ }).first().getAttribute('href'), '/admin/appliances?virtualization=container');
    assert.equal(await page.getByTestId('ccu-burn-now').textContent(), '12.5');
    assert.ok(Number(await page.getByTestId('ccu-debited').textContent()) >= 62.5, 'at least five whole hours were debited');
    await page.waitForFunction(() => document.querySelector('[data-testid="ccu-chart"] canvas') !== null);
    assert.ok(await chartIsDrawn(page), 'the chart has painted its canvas');
    assert.match((await page.getByTestId('ccu-chart').getAttribute('aria-label')) ?? '', /CCU in all/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'dashboard');
  });

  it('fits a phone', async () => {
    const { page } = phone;
    await signIn(page, 'admin', fx.adminPassword);
    await page.waitForURL(/\/admin$/);
    await page.getByTestId('capacity-container').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="ccu-chart"] canvas') !== null);
    assert.ok(await chartIsDrawn(page));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'dashboard-phone');
  });
});

describe('the appliance pages', () => {
  let detailUrl = '';

  it('create an appliance through the form and show it running with its address, live', async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'Appliances', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Appliances', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create appliance' }).click();
    const form = page.getByRole('form', { name: 'Create appliance' });
    const create = form.getByRole('button', { name: 'Create' });
    assert.equal(await create.isDisabled(), true, 'nothing to create yet');
    await form.getByRole('textbox', { name: 'Name' }).fill('web-1');
    await form.getByRole('combobox', { name: 'Image' }).click();
    await page.getByRole('option', { name: 'base' }).click();
    await form.getByPlaceholder('None').click();
    await page.getByRole('option', { name: 'backend' }).click();
    await create.click();
    await page.waitForURL(/\/admin\/appliances\/[0-9a-f-]{36}$/);
    detailUrl = page.url();
    await page.getByRole('heading', { name: 'web-1', level: 1 }).waitFor();
    // Pending, starting, running: the page follows the appliance's events, no reload.
    await page.getByTestId('phase').filter({ hasText: 'running' }).waitFor({ timeout: 60_000 });
    const address = (await page.getByTestId('address').textContent()) ?? '';
    assert.match(address, /^169\.254\.\d+\.\d+$/);
    const api = await fx.cloud.admin.ok<{ items: Array<{ name: string; status: { address: string; moreAddresses?: string[] } }> }>('GET', '/api/v1/appliances?name=web-1');
    assert.equal(api.items[0]?.status.address, address);
    // Its interfaces, in order: eth0 on the first network, eth1 on the one picked in the form.
    assert.equal(await page.getByTestId('interfaces').textContent(), `eth0 default ${address} · eth1 backend ${backend.address(1)}`);
    assert.deepEqual(api.items[0]?.status.moreAddresses, [backend.address(1)]);
    // The dashboard open on the phone counted it, without a reload.
    await phone.page.waitForFunction(() => document.querySelector('[data-testid="appliances-running"] span')?.textContent === '1', undefined, { timeout: 15_000 });
    assert.equal(await tile(phone.page, 'appliances-total'), 1);
  });

  it('show the console of the running appliance', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Show console' }).click();
    const consoleText = page.getByTestId('console');
    await consoleText.filter({ hasText: 'fleetyard-appliance web-1 up' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'appliance');
  });

  it('stop it, keeping what the console said, and list it stopped', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('phase').filter({ hasText: 'stopped' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('address').textContent(), (await fx.cloud.admin.ok<{ items: Array<{ status: { address: string } }> }>('GET', '/api/v1/appliances?name=web-1')).items[0]?.status.address);
    assert.match((await page.getByTestId('console').textContent()) ?? '', /fleetyard-appliance web-1 up/);
    await page.getByText('The appliance is not running').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Start' }).isEnabled(), true);

    await page.getByRole('link', { name: 'Appliances', exact: true }).first().click();
    const row = page.getByTestId('row').filter({ hasText: 'web-1' });
    await row.getByTestId('phase').filter({ hasText: 'stopped' }).waitFor();
    assert.match((await row.textContent()) ?? '', /container/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'appliances');
  });

  it('delete it after a confirmation, and see it leave the list', async () => {
    const { page } = w;
    await page.goto(detailUrl);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete web-1?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await fx.cloud.admin.call('GET', '/api/v1/appliances?name=web-1')).status, 200);
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete web-1' }).click();
    await page.waitForURL(/\/admin\/appliances$/);
    await page.getByText('No appliance matches.').waitFor({ timeout: 60_000 });
    assert.deepEqual((await fx.cloud.admin.ok<{ items: unknown[] }>('GET', '/api/v1/appliances')).items, []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(phone.errors, []);
  });
});
