import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import ssh2 from 'ssh2';
import { STATEMENT_COLUMNS } from '../../src/billing/statement.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { User } from '../../src/domain/user.ts';
import { accessibilityViolations, openPage, PHONE, screenshot as save, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The self-service portal as a cloud user uses it: order the `small` product seeing its price and
 * the quota headroom before submitting, watch the request go active and its login appear, pause,
 * resume and cancel it, read the CCU and download the statement, keep the profile. Everything it
 * shows changes through the event stream: the page is never reloaded to see a change.
 */
let fx: ConsoleFixture;
let w: WatchedPage;
let carol: { user: User; password: string };
let dave: { user: User; password: string };
let daveRequest: CloudRequest;
let requestId = '';
const LONG = { timeout: 90_000 };

before(async () => {
  fx = await startConsole();
  carol = await fx.newUser('carol', { ccu: 100 });
  dave = await fx.newUser('dave', { ccu: 100 });
  // A quota small enough that an order can break it: two appliances, two CPUs.
  await fx.cloud.admin.ok('PUT', `/api/v1/quotas/users/${carol.user.id}`, { appliances: 2, cpu: 2, ccuPerMonth: 500 });
  // Someone else's running appliance, which carol must never see.
  const now = Date.now();
  daveRequest = await fx.cloud.admin.ok<CloudRequest>('POST', '/api/v1/cloud/requests', {
    ownerId: dave.user.id,
    productId: fx.cloud.product.id,
    size: 's',
    startAt: new Date(now).toISOString(),
    endAt: new Date(now + 2 * 3_600_000).toISOString(),
  });
  w = await openPage(fx.browser, fx.url);
});

/** Ends the requests this file made and waits for their appliances to go, so nothing outlives the test. */
async function endRequests(ids: string[]): Promise<void> {
  for (const id of ids) await fx.cloud.admin.call('POST', `/api/v1/cloud/requests/${id}/cancel`, {});
  await fx.cloud.until(async () => {
    for (const id of ids) {
      const r = await fx.cloud.admin.call<CloudRequest>('GET', `/api/v1/cloud/requests/${id}`);
      if (r.status === 200 && !['done', 'denied', 'failed', 'no-capacity'].includes(r.body.status.state)) return false;
    }
    return (await fx.cloud.admin.ok<{ items: unknown[] }>('GET', '/api/v1/appliances')).items.length === 0;
  }, 'every appliance of the test gone', 120_000);
}

after(async () => {
  try {
    await w?.context.close();
    if (fx) await endRequests([requestId, daveRequest?.id].filter((id): id is string => Boolean(id)));
  } finally {
    await fx?.close();
  }
});

async function clean(page: Page, what: string): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), [], `accessibility of ${what}`);
  assert.deepEqual(w.errors, [], `console errors on ${what}`);
}

/** A whole-page picture from the top, so the fixed header is where a person sees it. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await save(page, name);
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
const cellsOf = async (page: Page, limit: string) =>
  page.getByTestId('quota-headroom').first().locator(`tr[data-limit="${limit}"] td`).allTextContents();

describe('the self-service portal', () => {
  it('takes a cloud user to the portal, and keeps them out of the admin console', async () => {
    const { page } = w;
    await signIn(page, 'carol', carol.password);
    await page.waitForURL(/\/portal$/);
    await page.getByRole('heading', { name: 'Welcome, carol' }).waitFor();
    await page.getByTestId('live-badge').filter({ hasText: 'live' }).waitFor();
    await clean(page, 'the overview');
    // An admin page in the address bar sends them back, and the menu offers no admin console.
    await page.goto('/admin/appliances');
    await page.waitForURL(/\/portal$/);
    assert.equal(await page.getByRole('link', { name: 'Admin console' }).count(), 0);
    await page.getByTestId('live-badge').filter({ hasText: 'live' }).waitFor();
  });

  it('prices the order and shows the quota headroom while it is chosen, and refuses what does not fit', async () => {
    const { page } = w;
    await nav(page, 'Order');
    await page.getByRole('heading', { name: 'Order an appliance' }).waitFor();
    assert.equal(await page.getByLabel('Product').and(page.locator('input')).inputValue(), 'small');
    assert.equal(await page.getByRole('radio', { name: 's', exact: true }).isChecked(), true);
    await page.getByTestId('price-per-hour').filter({ hasText: '12.5 CCU/h' }).waitFor();
    assert.match(await page.getByTestId('total-ccu').innerText(), /^2[45](\.\d+)? CCU$/);
    assert.deepEqual(await cellsOf(page, 'cpu'), ['CPUs', '1', '2', 'ok']);
    assert.deepEqual(await cellsOf(page, 'appliances'), ['Appliances', '1', '2', 'ok']);
    await page.getByTestId('quota-verdict').filter({ hasText: 'This order fits your quota.' }).waitFor();
    const submit = page.getByRole('button', { name: 'Submit request' });
    assert.equal(await submit.isEnabled(), true);

    // Three appliances would break the quota: the server says so, and submitting is off.
    await page.getByRole('textbox', { name: 'Quantity' }).fill('3');
    await page.getByTestId('quota-verdict').filter({ hasText: 'appliances: asks 3, 2 left' }).waitFor();
    assert.equal(await submit.isDisabled(), true);
    await page.getByText('This order does not fit your quota.').waitFor();
    assert.deepEqual(await cellsOf(page, 'appliances'), ['Appliances', '3', '2', 'over']);
    assert.equal(await page.getByTestId('price-per-hour').innerText(), '37.5 CCU/h');

    await page.getByRole('textbox', { name: 'Quantity' }).fill('1');
    await page.getByTestId('quota-verdict').filter({ hasText: 'This order fits your quota.' }).waitFor();
    await page.getByTestId('price-per-hour').filter({ hasText: '12.5 CCU/h' }).waitFor();
    assert.equal(await submit.isEnabled(), true);
    await clean(page, 'the order form');
    await screenshot(page, 'portal-order');
  });

  it('submits, and shows the request going active and its login appearing without a reload', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
    requestId = page.url().split('/').at(-1) as string;
    await page.getByRole('heading', { name: /^req-/ }).waitFor();
    await page.getByTestId('request-state').filter({ hasText: 'active' }).waitFor(LONG);

    const access = page.getByTestId('appliance-access');
    await access.getByTestId('phase').filter({ hasText: 'running' }).waitFor(LONG);
    const address = await access.getByTestId('address').innerText();
    assert.match(address, /^169\.254\.\d+\.\d+$/);
    assert.equal(await access.getByTestId('login-user').innerText(), 'carol');
    assert.equal(await access.getByTestId('ssh-command').innerText(), `ssh carol@${address}`);
    await access.getByText('with the password mailed to you').waitFor();

    const request = await fx.cloud.admin.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${requestId}`);
    assert.equal(request.spec.ownerId, carol.user.id);
    assert.equal(request.spec.size, 's');
    assert.equal(request.spec.quantity, 1);

    const timeline = page.getByTestId('timeline');
    for (const step of ['Submitted', 'Approved', 'Provisioning', 'Active', 'Ends']) await timeline.getByText(step, { exact: true }).waitFor();
    await timeline.getByText('approved by policy').waitFor();
    await clean(page, 'the request');
    await screenshot(page, 'portal-request');
  });

  it('lists only their own requests and appliances, with how to reach each', async () => {
    const { page } = w;
    await fx.cloud.until(async () => (await fx.cloud.admin.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${daveRequest.id}`)).status.state === 'active', "dave's request going active", 90_000);
    await nav(page, 'My requests');
    await page.getByRole('heading', { name: 'My requests' }).waitFor();
    await page.getByTestId('row').first().waitFor();
    const rows = await page.getByTestId('row').allTextContents();
    assert.equal(rows.length, 1, rows.join(' | '));
    assert.match(rows[0] as string, /active/);
    assert.equal(rows.some((r) => r.includes(daveRequest.name)), false);
    await clean(page, 'my requests');
    await screenshot(page, 'portal-requests');

    await nav(page, 'My appliances');
    await page.getByRole('heading', { name: 'My appliances' }).waitFor();
    const row = page.getByTestId('row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const address = await row.getByTestId('address').innerText();
    assert.match(address, /^169\.254\./);
    assert.equal(await row.getByTestId('ssh-command').innerText(), `ssh carol@${address}`);
    assert.equal((await row.textContent())?.includes(daveRequest.name), false);
    await clean(page, 'my appliances');
    await screenshot(page, 'portal-appliances');
    await row.getByRole('link', { name: 'its request' }).click();
    await page.waitForURL(new RegExp(`/portal/requests/${requestId}$`));
  });

  it('pauses, resumes and cancels the request, and the page follows', async () => {
    const { page } = w;
    const state = page.getByTestId('request-state');
    await state.filter({ hasText: 'active' }).waitFor();
    const before = await fx.cloud.admin.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${requestId}`);
    await page.getByRole('button', { name: 'Extend' }).click();
    const extend = page.getByRole('dialog', { name: 'Extend the window' });
    await extend.getByLabel(/^New end/).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await extend.getByRole('button', { name: 'Extend' }).click();
    await extend.waitFor({ state: 'hidden' });
    await page.getByTestId('timeline').getByText('Window extended', { exact: true }).waitFor();
    const extended = await fx.cloud.admin.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${requestId}`);
    assert.ok(Date.parse(extended.spec.endAt) > Date.parse(before.spec.endAt), 'the window ends later');

    await page.getByRole('button', { name: 'Pause' }).click();
    await state.filter({ hasText: 'paused' }).waitFor(LONG);
    await page.getByTestId('appliance-access').getByTestId('phase').filter({ hasText: 'stopped' }).waitFor(LONG);
    await page.getByTestId('timeline').getByText('Paused', { exact: true }).waitFor();
    await page.getByTestId('timeline').getByText('Pause requested', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Resume' }).click();
    await state.filter({ hasText: 'active' }).waitFor(LONG);
    await page.getByTestId('appliance-access').getByTestId('phase').filter({ hasText: 'running' }).waitFor(LONG);
    await page.getByTestId('timeline').getByText('Resume requested', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Cancel request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this request?' });
    await dialog.waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await dialog.getByRole('button', { name: 'Cancel the request' }).click();
    await state.filter({ hasText: 'done' }).waitFor(LONG);
    await page.getByText('Nothing of this request runs any more.').waitFor(LONG);
    await page.getByTestId('timeline').getByText('Ended', { exact: true }).waitFor();
    await page.getByTestId('timeline').getByText('cancelled by the user').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel request' }).isDisabled(), true);
    await clean(page, 'the ended request');
  });

  it('shows the CCU balance live, its forecast and chart, and downloads the statement as CSV', async () => {
    const { page } = w;
    await nav(page, 'CCU');
    await page.getByRole('heading', { name: 'My CCU' }).waitFor();
    const balanceNow = async () => `${(await fx.cloud.admin.ok<{ balanceCcu: string }>('GET', `/api/v1/ccu/balance?userId=${carol.user.id}`)).balanceCcu} CCU`;
    await page.getByTestId('balance').filter({ hasText: await balanceNow() }).waitFor();
    await page.getByTestId('forecast').filter({ hasText: /credits/ }).waitFor();
    await page.getByTestId('usage-chart').locator('canvas').waitFor();
    // A grant made elsewhere shows up at once.
    await fx.cloud.admin.ok('POST', '/api/v1/ccu/grants', { userId: carol.user.id, ccu: 5, note: 'a bonus' });
    await page.getByTestId('balance').filter({ hasText: await balanceNow() }).waitFor();
    await page.getByTestId('row').filter({ hasText: 'a bonus' }).waitFor();
    await clean(page, 'the CCU page');
    await screenshot(page, 'portal-ccu');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-link').click()]);
    assert.equal(download.suggestedFilename(), 'ccu-statement.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    assert.equal(csv.split('\n')[0], STATEMENT_COLUMNS.join(','));
    assert.match(csv, /grant,100,100000,100000,welcome credits/);
    // What the link fetches, with the page's own session: a CSV attachment.
    const res = await page.context().request.get('/api/v1/ccu/statement.csv');
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'] ?? '', /^text\/csv/);
    assert.match(res.headers()['content-disposition'] ?? '', /attachment; filename="ccu-statement.csv"/);
    assert.equal((await res.text()).split('\n')[0], STATEMENT_COLUMNS.join(','));
  });

  it('keeps the profile: the SSH key, the password, and API tokens shown once', async () => {
    const { page } = w;
    await nav(page, 'Profile');
    await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
    const key = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'carol@laptop' }).public;
    await page.getByLabel('Public key').fill(key);
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await fx.cloud.admin.ok<User>('GET', `/api/v1/users/${carol.user.id}`)).spec.sshPublicKey, key);

    await page.getByLabel('Token name').fill('laptop cli');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('new-token').innerText();
    assert.ok(token.length >= 20);
    const tokenRow = page.getByTestId('row').filter({ hasText: 'laptop cli' });
    await tokenRow.filter({ hasText: 'active' }).waitFor();
    const me = await fetch(`${fx.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(((await me.json()) as { name: string }).name, 'carol');
    await tokenRow.getByRole('button', { name: 'Revoke the token laptop cli' }).click();
    await tokenRow.filter({ hasText: 'revoked' }).waitFor();
    assert.equal((await fetch(`${fx.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status, 401);

    const newPassword = 'carol-has-a-new-password';
    await page.getByLabel('Current password').fill(carol.password);
    await page.getByLabel(/^New password\s*\*?$/).fill(newPassword);
    await page.getByLabel('New password again').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    carol.password = newPassword;
    const login = await fetch(`${fx.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'carol', password: newPassword }) });
    assert.equal(login.status, 200);
    await clean(page, 'the profile');
    await screenshot(page, 'portal-profile');
  });

  it('works on a phone', async () => {
    const phone = await openPage(fx.browser, fx.url, PHONE);
    try {
      const { page } = phone;
      await page.goto('/sign-in');
      await page.getByLabel('Username').fill('carol');
      await page.locator('input[name="password"]').fill(carol.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/portal$/);
      await page.getByRole('button', { name: 'Open the menu' }).click();
      await nav(page, 'Order');
      await page.getByTestId('price-per-hour').filter({ hasText: '12.5 CCU/h' }).waitFor();
      await page.getByTestId('quota-verdict').waitFor();
      assert.deepEqual(await accessibilityViolations(page), []);
      await screenshot(page, 'portal-order-phone');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }
  });
});
