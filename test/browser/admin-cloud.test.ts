import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { SessionClient } from '../support/session.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The admin runs the self-service cloud from the console: makes a group and a user, gives the user
 * credit and a quota, defines a product and changes the price list; then a request the user
 * submits above the auto-approval limit appears as waiting for approval while the admin watches,
 * is approved with a comment and shows as approved; another is denied with a comment. Nothing is
 * reloaded to see a change: the event stream brings it.
 */
const V1 = '/api/v1';
const HOUR = 3_600_000;
const PASSWORD = 'carol-password-correct-horse';
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl carol@laptop';
const APPROVAL = 'approved for the storage workshop';
const DENIAL = 'the lab is booked that week';

let fx: ConsoleFixture;
let w: WatchedPage;
let carol: User;
let product: Product;
const submitted: CloudRequest[] = [];

before(async () => {
  // The `std` size below costs 13 CCU an hour, so a four-hour window (52 CCU) needs an admin.
  fx = await startConsole({ policy: { autoApproveMaxCcu: 20 } });
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  await w?.context.close();
  await fx?.close();
});

async function accessible(page: Page, where: string): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), [], `accessibility on ${where}`);
}

/** Picks `option` in the Mantine select labelled `label`. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('textbox', { name: label }).or(page.getByRole('combobox', { name: label })).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function fresh<T>(path: string): Promise<T> {
  return fx.cloud.admin.ok<T>('GET', path);
}

describe('the admin console runs the self-service cloud', () => {
  it('creates a group and a user in it, with an SSH key and a password', async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByRole('button', { name: 'Create group' }).click();
    const groupDialog = page.getByRole('dialog', { name: 'Create group' });
    await groupDialog.getByLabel('Name').fill('lab');
    await groupDialog.getByLabel('Description').fill('The storage lab');
    await accessible(page, 'the group form');
    await groupDialog.getByRole('button', { name: 'Create' }).click();
    await groupDialog.waitFor({ state: 'hidden' });
    await page.getByTestId('row').filter({ hasText: 'The storage lab' }).waitFor();
    await accessible(page, 'the groups page');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.getByLabel('Name', { exact: false }).first().fill('carol');
    await dialog.getByLabel('E-mail').fill('carol@example.test');
    await choose(page, 'Group', 'lab');
    await dialog.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await dialog.getByLabel('SSH public key').fill(SSH_KEY);
    await accessible(page, 'the user form');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'carol' }).waitFor();
    carol = (await fresh<{ items: User[] }>(`${V1}/users?name=carol`)).items[0] as User;
    assert.equal(carol.spec.email, 'carol@example.test');
    assert.equal(carol.spec.sshPublicKey, SSH_KEY);
    assert.equal(carol.spec.role, 'user');
    const groups = await fresh<{ items: Array<{ id: string }> }>(`${V1}/groups?name=lab`);
    assert.equal(carol.spec.groupId, groups.items[0]?.id);
  });

  it('grants the user CCU with a note and shows the balance and the ledger', async () => {
    const { page } = w;
    await page.getByTestId('balance').filter({ hasText: '0.000' }).waitFor();
    const grant = page.getByRole('form', { name: 'Grant CCU' });
    await grant.getByLabel('CCU to grant').fill('500');
    await grant.getByLabel('Note').fill('workshop credits');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await page.getByTestId('balance').filter({ hasText: '500.000' }).waitFor();
    await page.getByTestId('row').filter({ hasText: 'workshop credits' }).filter({ hasText: '+500.000' }).waitFor();
    const balance = await fresh<{ balanceMilli: number }>(`${V1}/ccu/balance?userId=${carol.id}`);
    assert.equal(balance.balanceMilli, 500_000);
    await accessible(page, 'the user page');
  });

  it('disables the user and enables them again from the list', async () => {
    const { page } = w;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const row = page.getByTestId('row').filter({ hasText: 'carol@example.test' });
    await row.getByRole('button', { name: 'Disable carol' }).click();
    await row.getByTestId('user-status').filter({ hasText: 'disabled' }).waitFor();
    assert.equal((await fresh<User>(`${V1}/users/${carol.id}`)).spec.disabled, true);
    await row.getByRole('button', { name: 'Enable carol' }).click();
    await row.getByTestId('user-status').filter({ hasText: 'active' }).waitFor();
    assert.equal((await fresh<User>(`${V1}/users/${carol.id}`)).spec.disabled, false);
    await accessible(page, 'the users page');
    await screenshot(page, 'users');
  });

  it("sets the user's quota beside what they use", async () => {
    const { page } = w;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quotas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quotas' }).waitFor();
    await page.getByRole('button', { name: 'Quota of carol' }).click();
    await page.getByRole('heading', { name: 'Quota of user carol' }).waitFor();
    const form = page.getByRole('form', { name: 'Quota of the user' });
    await form.getByTestId('used-appliances').filter({ hasText: 'Uses 0 now' }).waitFor();
    await form.getByLabel('Appliances').fill('3');
    await form.getByLabel('CPUs').fill('4');
    await form.getByLabel('CCU per month').fill('1000');
    await form.getByRole('button', { name: 'Save quota' }).click();
    await page.getByRole('status').filter({ hasText: 'Quota saved.' }).waitFor();
    const quota = await fresh<{ limits: Record<string, number | null> }>(`${V1}/quotas/users/${carol.id}`);
    assert.deepEqual(quota.limits, { appliances: 3, cpu: 4, memoryMiB: null, diskMiB: null, ccuPerMonth: 1000 });
    await accessible(page, 'the quotas page');
    await screenshot(page, 'quotas');
  });

  it('defines a product with two sizes, and changes the price list', async () => {
    const { page } = w;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await page.getByTestId('row').filter({ hasText: 'small' }).waitFor();
    await page.getByRole('button', { name: 'Create product' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create product' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('workshop');
    await dialog.getByLabel('Description').fill('A container for the storage workshop');
    await choose(page, 'Image', 'base');
    const rows = dialog.getByTestId('size-row');
    await rows.nth(0).getByLabel('Size 1 name').fill('std');
    await rows.nth(0).getByLabel('Memory (MiB)').fill('128');
    await rows.nth(0).getByLabel('Disk (MiB)').fill('0');
    await dialog.getByRole('button', { name: 'Add size' }).click();
    await rows.nth(1).getByLabel('Size 2 name').fill('std');
    await rows.nth(1).getByLabel('CPUs').fill('2');
    // Two sizes of one name: refused at the field before anything is sent.
    await dialog.getByRole('button', { name: 'Create product' }).click();
    await dialog.getByText('Size names must be unique').waitFor();
    await accessible(page, 'the product form with a mistake');
    await rows.nth(1).getByLabel('Size 2 name').fill('big');
    await dialog.getByRole('button', { name: 'Create product' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('row').filter({ hasText: 'workshop' }).filter({ hasText: 'big (2 CPU, 256 MiB)' }).waitFor();
    product = (await fresh<{ items: Product[] }>(`${V1}/products?name=workshop`)).items[0] as Product;
    assert.deepEqual(product.spec.sizes, [
      { name: 'std', cpu: 1, memoryMiB: 128, diskMiB: 0 },
      { name: 'big', cpu: 2, memoryMiB: 256, diskMiB: 1024 },
    ]);
    assert.deepEqual(product.spec.virtualizations, ['container']);
    assert.equal(product.spec.enabled, true);
    await accessible(page, 'the products page');
    await screenshot(page, 'products');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Price list' }).click();
    await page.getByRole('heading', { level: 1, name: 'Price list' }).waitFor();
    await page.getByLabel('Warn users below (CCU)').fill('15');
    await page.getByRole('button', { name: 'Save price list' }).click();
    await page.getByRole('status').filter({ hasText: /Saved as version \d+/ }).waitFor();
    const prices = await fresh<{ priceList: { lowBalanceCcu: number; ccuPerHour: { cpu: number } } }>(`${V1}/ccu/price-list`);
    assert.equal(prices.priceList.lowBalanceCcu, 15);
    assert.equal(prices.priceList.ccuPerHour.cpu, 10, 'the other prices stay');
    await accessible(page, 'the price list page');
  });

  it('shows a request over the auto-approval limit as waiting the moment it is submitted, approves it with a comment and shows it approved', async () => {
    const { page } = w;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cloud requests' }).waitFor();
    await page.getByTestId('waiting-count').filter({ hasText: /^0$/ }).waitFor();
    await page.getByText('No request waits for approval.').waitFor();

    const asCarol = new SessionClient(fx.url);
    await asCarol.login('carol', PASSWORD);
    const start = Date.now() + 24 * HOUR;
    for (const day of [0, 1]) {
      const at = start + day * 24 * HOUR;
      submitted.push(await asCarol.ok<CloudRequest>('POST', `${V1}/cloud/requests`, {
        productId: product.id,
        size: 'std',
        startAt: new Date(at).toISOString(),
        endAt: new Date(at + 4 * HOUR).toISOString(),
      }));
    }
    const [first, second] = submitted as [CloudRequest, CloudRequest];
    for (const r of submitted) await page.getByTestId('row').filter({ hasText: r.name }).waitFor();
    await page.getByTestId('waiting-count').filter({ hasText: /^2$/ }).waitFor();
    assert.equal((await fresh<CloudRequest>(`${V1}/cloud/requests/${first.id}`)).status.state, 'new');
    await accessible(page, 'the requests waiting for approval');

    await page.getByRole('tab', { name: 'All requests' }).click();
    const row = page.getByTestId('row').filter({ hasText: first.name });
    await row.getByTestId('phase').filter({ hasText: 'new' }).waitFor();
    await row.getByRole('button', { name: `Approve ${first.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Approve request ${first.name}` });
    await dialog.getByLabel('Comment').fill(APPROVAL);
    await accessible(page, 'the approval dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByTestId('phase').filter({ hasText: 'approved' }).waitFor();
    await page.getByTestId('waiting-count').filter({ hasText: /^1$/ }).waitFor();
    await page.getByTestId('row').filter({ hasText: second.name }).getByTestId('phase').filter({ hasText: 'new' }).waitFor();
    const approved = await fresh<CloudRequest>(`${V1}/cloud/requests/${first.id}`);
    assert.equal(approved.status.state, 'approved');
    assert.equal(approved.spec.decision?.approved, true);
    assert.equal(approved.spec.decision?.comment, APPROVAL);
    await accessible(page, 'all requests');
    await screenshot(page, 'requests');
  });

  it("denies the other from its page with a comment, and its lifecycle shows why", async () => {
    const { page } = w;
    const second = submitted[1] as CloudRequest;
    await page.getByRole('link', { name: second.name }).click();
    await page.getByRole('heading', { level: 1, name: second.name }).waitFor();
    await page.getByTestId('request-state').filter({ hasText: 'new' }).waitFor();
    await page.getByText('Not decided yet.').waitFor();
    await accessible(page, 'a request waiting for approval');
    await page.getByRole('button', { name: `Deny ${second.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deny request ${second.name}` });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.getByText('Say why the request is denied').waitFor();
    await dialog.getByLabel('Comment').fill(DENIAL);
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('request-state').filter({ hasText: 'denied' }).waitFor();
    await page.getByTestId('lifecycle').getByText(`denied by an admin: ${DENIAL}`).waitFor();
    await page.getByTestId('decision').filter({ hasText: DENIAL }).waitFor();
    // The mail that tells the user is listed with the request, and goes out while the page is open.
    await page.getByTestId('row').filter({ hasText: 'denied' }).getByTestId('phase').filter({ hasText: 'sent' }).waitFor({ timeout: 30_000 });
    const denied = await fresh<CloudRequest>(`${V1}/cloud/requests/${second.id}`);
    assert.equal(denied.status.state, 'denied');
    assert.equal(denied.spec.decision?.comment, DENIAL);
    await accessible(page, 'a denied request');
  });

  it('lists the mails the decisions sent, and the quota counts what the approved request holds', async () => {
    const { page } = w;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mails' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mails' }).waitFor();
    await page.getByLabel('Recipient').fill('carol@example.test');
    await page.getByLabel('Recipient').press('Enter');
    const [first, second] = submitted as [CloudRequest, CloudRequest];
    await page.getByTestId('row').filter({ hasText: `Your request ${first.name} was approved` }).getByTestId('phase').filter({ hasText: 'sent' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('row').filter({ hasText: second.name }).getByTestId('phase').filter({ hasText: 'sent' }).waitFor();
    assert.ok(fx.cloud.mailsTo('carol@example.test').length >= 2, 'the mails reached the mail server');
    await accessible(page, 'the mails page');
    await screenshot(page, 'mails');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quotas' }).click();
    await page.getByRole('button', { name: 'Quota of carol' }).click();
    // The approved request holds one appliance of 1 CPU; the denied one holds nothing.
    await page.getByTestId('used-appliances').filter({ hasText: 'Uses 1 now' }).waitFor();
    await page.getByTestId('used-cpu').filter({ hasText: 'Uses 1 now' }).waitFor();
    assert.deepEqual(w.errors, []);
  });
});
