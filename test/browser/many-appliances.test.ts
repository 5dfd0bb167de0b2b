import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { anAppliance } from '../support/objects.ts';
import { accessibilityViolations, openPage, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The appliance list with 10,000 appliances: the browser gets 50 rows, "Next" asks the server for
 * the next 50 by cursor, and a filter is applied by the server. The appliances are put in the
 * store in one transaction (stopped, and with no event, so nothing reconciles them); every tenth
 * asks for qemu. How long the first page takes to appear is printed, not asserted.
 */
const COUNT = 10_000;
const name = (i: number) => `bulk-${String(i).padStart(5, '0')}`;
let fx: ConsoleFixture;
let w: WatchedPage;

before(async () => {
  fx = await startConsole({ drivers: [new SimDriver({})] });
  const imageId = fx.cloud.product.spec.imageId;
  const started = Date.now();
  await fx.cloud.cp.store.transaction(async (tx) => {
    for (let i = 0; i < COUNT; i++) {
      await tx.appliances.insert(anAppliance(name(i), imageId, { requirements: { virtualization: i % 10 === 0 ? 'qemu' : 'sim' } }));
    }
  });
  console.log(`put ${COUNT.toLocaleString('en')} appliances in the store in ${Date.now() - started} ms`);
  w = await openPage(fx.browser, fx.url);
  await signIn(w.page, 'admin', fx.adminPassword);
});

after(async () => {
  await w?.context.close();
  await fx?.close();
});

const rowNames = (page: Page) => page.getByTestId('row').locator('td:first-child').allTextContents();

/**
 * Waits until the list shows exactly `expected` (the previous page stays on screen while the next
 * loads, so the rows are compared, not counted); on a timeout the difference is the failure.
 */
async function showsRows(page: Page, expected: string[]): Promise<void> {
  const ok = await page
    .waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll('[data-testid="row"] td:first-child')].map((td) => td.textContent)) === want,
      JSON.stringify(expected),
      { timeout: 15_000 },
    )
    .then(() => true, () => false);
  if (!ok) assert.deepEqual(await rowNames(page), expected);
}

describe(`the appliance list with ${COUNT.toLocaleString('en')} appliances`, () => {
  const asked: string[] = [];

  it('shows the first 50 as soon as the server has sent them', async () => {
    const { page } = w;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/appliances?')) asked.push(new URL(r.url()).search);
    });
    await page.goto('/admin/appliances');
    // performance.now() counts from the start of the navigation.
    const ms = await page.waitForFunction(() => (document.querySelectorAll('[data-testid="row"]').length === 50 ? performance.now() : 0));
    console.log(`first page of ${COUNT.toLocaleString('en')} appliances rendered in ${Math.round((await ms.jsonValue()) as number)} ms`);
    assert.deepEqual(await rowNames(page), Array.from({ length: 50 }, (_, i) => name(i)));
    assert.ok(asked.every((q) => /[?&]limit=50\b/.test(q)), asked.join(' '));
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  it('pages through on the server with Next', async () => {
    const { page } = w;
    const first = await rowNames(page);
    await page.getByRole('button', { name: 'Next' }).click();
    const second = Array.from({ length: 50 }, (_, i) => name(50 + i));
    await showsRows(page, second);
    assert.equal(second.filter((n) => first.includes(n)).length, 0, 'the second page has other rows');
    assert.ok(asked.some((q) => /[?&]cursor=/.test(q)), `a cursor was asked for: ${asked.join(' ')}`);
    await page.getByText('Page 2').waitFor();
    await page.getByRole('button', { name: 'Previous' }).click();
    await showsRows(page, first);
  });

  it('narrows with a filter on the server', async () => {
    const { page } = w;
    await page.getByRole('combobox', { name: 'Virtualization' }).click();
    await page.getByRole('option', { name: 'qemu' }).click();
    await page.waitForURL(/[?&]virtualization=qemu/);
    await showsRows(page, Array.from({ length: 50 }, (_, i) => name(i * 10)));
    const column = await page.getByTestId('row').locator('td:nth-child(5)').allTextContents();
    assert.deepEqual([...new Set(column)], ['qemu']);
    assert.ok(asked.some((q) => /[?&]virtualization=qemu/.test(q)), asked.join(' '));
    // Both filters at once: one appliance is a qemu one named bulk-04320.
    const filter = page.getByRole('textbox', { name: 'Name' });
    await filter.fill(name(4320));
    await filter.press('Enter');
    await showsRows(page, [name(4320)]);
    await filter.fill(name(4321));
    await filter.press('Enter');
    await page.getByText('No appliance matches.').waitFor();
    await showsRows(page, []);
    assert.deepEqual(w.errors, []);
  });

  it('counts all of them on the dashboard', async () => {
    const { page } = w;
    await page.goto('/admin');
    const ms = await page.waitForFunction(() => (document.querySelector('[data-testid="appliances-total"] span')?.textContent?.replace(/\D/g, '') === '10000' ? performance.now() : 0));
    console.log(`dashboard with ${COUNT.toLocaleString('en')} appliances rendered in ${Math.round((await ms.jsonValue()) as number)} ms`);
    assert.equal(((await page.getByTestId('appliances-stopped').textContent()) ?? '').replace(/\D/g, ''), '10000');
    assert.deepEqual(w.errors, []);
  });
});
