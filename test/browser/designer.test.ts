import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { tokenFor } from '../support/session.ts';
import { accessibilityViolations, openPage, PHONE, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/fleetyard.js');

/**
 * A cloud user builds a stack in the designer the way a person does: drags two appliances from
 * the palette onto the board, renames them, drops a size and a network onto them, connects them,
 * watches the price and the checks, reviews the plan and applies it; the stack's requests come up
 * live. The CLI then shows the very YAML the designer showed, and planning that file changes
 * nothing.
 */
let fx: ConsoleFixture;
let w: WatchedPage;
let tmp: string;

before(async () => {
  // Each request costs 300 CCU over its 24 hours: approved by policy, so they run while the page watches.
  fx = await startConsole({ policy: { autoApproveMaxCcu: 1000 } });
  w = await openPage(fx.browser, fx.url);
  tmp = mkdtempSync(join(tmpdir(), 'fy-designer-'));
});

after(async () => {
  await w?.context.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (!fx) return;
  // Whatever a failed run left applied ends before the cloud stops: its containers hold mounts.
  try {
    const left = await fx.cloud.admin.ok<{ items: Array<{ name: string; ownerId: string }> }>('GET', '/api/v1/stacks');
    for (const s of left.items) await fx.cloud.admin.call('DELETE', `/api/v1/stacks/${s.name}?ownerId=${s.ownerId}`);
    await fx.cloud.until(async () => (await fx.cloud.admin.ok<{ items: unknown[] }>('GET', '/api/v1/appliances')).items.length === 0, "the stacks' appliances gone", 90_000);
  } finally {
    await fx.close();
  }
});

const board = (page: Page) => page.getByTestId('designer-board');
const node = (page: Page, name: string) => page.getByTestId(`node-${name}`);

/** Drags with the mouse, as a person does: press, move there in steps, release. */
async function mouseDrag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  assert.ok(a && b, 'both ends of the drag are on the screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function yamlShown(page: Page): Promise<string> {
  return page.getByTestId('stack-yaml').inputValue();
}

async function rename(page: Page, from: string, to: string): Promise<void> {
  await node(page, from).click();
  const name = page.getByTestId('member-panel').getByLabel('Appliance name');
  await name.fill(to);
  await node(page, to).waitFor();
}

describe('the stack designer', () => {
  it('builds, checks, plans and applies a two-appliance stack by drag and drop; the CLI shows the same YAML', async () => {
    const { user, password } = await fx.newUser('dana', { ccu: 5000 });
    const { page } = w;
    await signIn(page, user.name, password);
    await page.getByRole('link', { name: 'Stack designer' }).click();
    await page.getByRole('heading', { name: 'Stack designer', level: 1 }).waitFor();
    await page.getByTestId('palette-product-small').waitFor();
    // A new stack has no appliance yet, and says so.
    await page.getByTestId('plan-summary').getByText('spec.appliances').waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByLabel('Stack name').fill('shop');
    // Two products dragged from the palette onto the board: HTML5 drag and drop into React Flow's drop handler.
    const pane = board(page).locator('.react-flow__pane');
    await page.getByTestId('palette-product-small').dragTo(pane, { targetPosition: { x: 140, y: 110 } });
    await node(page, 'small').waitFor();
    await page.getByTestId('palette-product-small').dragTo(pane, { targetPosition: { x: 320, y: 270 } });
    await node(page, 'small-2').waitFor();
    assert.match(await yamlShown(page), /- name: small\n {6}product: small\n {6}size: s\n {4}- name: small-2\n/);

    await rename(page, 'small', 'web');
    await rename(page, 'small-2', 'db');
    // A network and a size dropped onto the appliances set them.
    await page.getByTestId('palette-network-default').dragTo(node(page, 'web'));
    await page.getByTestId('designer-notice').getByText('web now joins network default').waitFor();
    await page.getByTestId('palette-size-small-s').dragTo(node(page, 'db'));
    await page.getByTestId('designer-notice').getByText('db now has size s').waitFor();

    // Connecting web to db: from web's right handle to db's left one, with the mouse.
    await mouseDrag(page, node(page, 'web').locator('.react-flow__handle.source'), node(page, 'db').locator('.react-flow__handle.target'));
    await board(page).locator('.react-flow__edge').first().waitFor();
    const yaml = await yamlShown(page);
    assert.equal(
      yaml,
      [
        'apiVersion: fleetyard.io/v1',
        'kind: Stack',
        'metadata:',
        '  name: shop',
        'spec:',
        '  hours: 24',
        '  appliances:',
        '    - name: web',
        '      product: small',
        '      size: s',
        '      network: default',
        '    - name: db',
        '      product: small',
        '      size: s',
        '  links:',
        '    - from: web',
        '      to: db',
        '',
      ].join('\n'),
    );

    // The price and the checks come from the plan endpoint: 2 × 12.5 CCU per hour, within quota and capacity.
    const summary = page.getByTestId('plan-summary');
    await summary.getByTestId('plan-price').getByText('25 CCU per hour').waitFor();
    await summary.getByText('Quota').waitFor();
    assert.equal(await summary.getByText('does not fit').count(), 0);
    assert.match(await summary.getByTestId('plan-changes').innerText(), /2 to create/);

    // A schema problem shows next to its node and field, and the plan waits for it to be fixed.
    await node(page, 'db').click();
    await page.getByTestId('member-panel').getByLabel('Appliance name').fill('web');
    await summary.getByText('appears more than once').waitFor();
    await page.getByTestId('node-problems').first().getByText('appears more than once').waitFor();
    await page.getByTestId('member-panel').getByLabel('Appliance name').fill('db');
    await node(page, 'db').waitFor();
    assert.equal(await yamlShown(page), yaml);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('heading', { name: 'Stack designer', level: 1 }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'designer');

    // Plan before apply.
    await page.getByRole('button', { name: 'Review plan' }).click();
    const review = page.getByTestId('plan-review');
    await review.getByTestId('review-summary').getByText('2 to create').waitFor();
    assert.match(await review.getByTestId('review-price').innerText(), /25 CCU per hour/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await review.getByRole('button', { name: 'Apply' }).click();
    await review.waitFor({ state: 'detached' });
    await page.waitForURL(/\/portal\/designer\?stack=shop$/);

    // The stack's requests appear and become active while the page watches (no reload).
    const status = page.getByTestId('stack-status');
    for (const m of ['web', 'db']) {
      await status.getByTestId(`instance-${m}-1`).getByTestId('phase').filter({ hasText: 'active' }).waitFor({ timeout: 60_000 });
    }
    await summary.getByTestId('plan-changes').getByText('No changes').waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.equal(await yamlShown(page), yaml);

    // The CLI, as the same user, shows the document the designer applied, byte for byte.
    const token = await tokenFor(fx.url, user.name, password);
    const env = { ...process.env, FLEETYARD_API: fx.url, FLEETYARD_TOKEN: token };
    const shown = await run(process.execPath, [CLI, 'stack', 'show', 'shop', '-o', 'yaml'], { env, timeout: 60_000 });
    assert.equal(shown.stdout, yaml);
    const file = join(tmp, 'shop.yaml');
    writeFileSync(file, shown.stdout);
    const planned = await run(process.execPath, [CLI, 'stack', 'plan', '-f', file], { env, timeout: 60_000 });
    assert.match(planned.stdout + planned.stderr, /no changes/i);

    // Opening it again from the list puts the same document on a fresh board, where this browser left it.
    const placed = await node(page, 'db').boundingBox();
    await page.getByRole('button', { name: 'New stack' }).click();
    await node(page, 'web').waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Open a stack' }).click();
    await page.getByRole('option', { name: 'shop' }).click();
    await node(page, 'db').waitFor();
    assert.equal(await yamlShown(page), yaml);
    const again = await node(page, 'db').boundingBox();
    assert.ok(placed && again);
    assert.deepEqual([Math.round(again.x), Math.round(again.y)], [Math.round(placed.x), Math.round(placed.y)]);
    assert.deepEqual(w.errors, []);

    // The designer's file removes the stack through the CLI too; its requests end.
    await page.goto('/portal');
    await run(process.execPath, [CLI, 'stack', 'rm', '-f', file, '--wait'], { env, timeout: 120_000 });
    const gone = await fx.cloud.admin.call('GET', `/api/v1/stacks/shop?ownerId=${user.id}`);
    assert.equal(gone.status, 404);
  });

  it('works from the keyboard for an admin, in the admin console, and on a phone', async () => {
    const a = await openPage(fx.browser, fx.url);
    try {
      const { page } = a;
      await signIn(page, 'admin', fx.adminPassword);
      await page.setViewportSize(PHONE);
      await page.goto('/admin/designer');
      await page.getByRole('heading', { name: 'Stack designer', level: 1 }).waitFor();
      await page.getByTestId('palette-product-small').waitFor();
      await page.getByRole('button', { name: 'Add appliance' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Add appliance' });
      await dialog.getByLabel('Appliance name').fill('solo');
      await dialog.getByLabel('Appliance name').press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await node(page, 'solo').waitFor();
      // An admin's stack needs no hours and makes appliances; it is priced all the same.
      await page.getByLabel('Hours').fill('');
      assert.match(await yamlShown(page), /spec:\n {2}appliances:\n {4}- name: solo\n {6}product: small\n {6}size: s\n$/);
      await page.getByTestId('plan-summary').getByTestId('plan-price').getByText('12.5 CCU per hour').waitFor();
      await page.getByTestId('plan-summary').getByText('No quota bounds an admin').waitFor();
      assert.deepEqual(await accessibilityViolations(page), []);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'designer-phone');
      assert.deepEqual(a.errors, []);
    } finally {
      await a.context.close();
    }
  });
});
