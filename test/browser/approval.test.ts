import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import { SessionClient } from '../support/session.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * An order over the auto-approval limit waits for an admin. The admin approves it in the console
 * with a comment, and the user, who has the request open in the portal, sees it approved and the
 * comment on its timeline, without reloading: both pages are driven by the event stream.
 */
const HOUR = 3_600_000;
let fx: ConsoleFixture;
let admin: WatchedPage;
let user: WatchedPage;

before(async () => {
  fx = await startConsole({ policy: { autoApproveMaxCcu: 1 } });
  admin = await openPage(fx.browser, fx.url);
  user = await openPage(fx.browser, fx.url);
});

after(async () => {
  await admin?.context.close();
  await user?.context.close();
  await fx?.close();
});

it('an admin approves a request over the auto-approval limit, and the user\'s portal shows it approved at once', async () => {
  const { password } = await fx.newUser('carol', { ccu: 500 });
  const carol = new SessionClient(fx.url);
  await carol.login('carol', password);
  // Two hours of `s` cost 25 CCU, over the limit of 1, and start later, so it stays approved.
  const now = Date.now();
  const request = await carol.ok<CloudRequest>('POST', '/api/v1/cloud/requests', {
    productId: fx.cloud.product.id,
    size: 's',
    startAt: new Date(now + 2 * HOUR).toISOString(),
    endAt: new Date(now + 4 * HOUR).toISOString(),
  });
  assert.equal(request.status.state, 'new');

  await signIn(user.page, 'carol', password);
  await user.page.goto(`/portal/requests/${request.id}`);
  await user.page.getByRole('heading', { name: request.name }).waitFor();
  await user.page.getByTestId('phase').filter({ hasText: 'new' }).first().waitFor();

  await signIn(admin.page, 'admin', fx.adminPassword);
  await admin.page.goto(`/admin/requests/${request.id}`);
  await admin.page.getByRole('heading', { name: request.name }).waitFor();
  assert.deepEqual(await accessibilityViolations(admin.page), []);
  await admin.page.getByRole('button', { name: `Approve ${request.name}` }).first().click();
  const dialog = admin.page.getByRole('dialog');
  await dialog.getByLabel('Comment').fill('approved for the workshop');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await admin.page.getByTestId('request-state').filter({ hasText: 'approved' }).waitFor();
  await screenshot(admin.page, 'approval-admin');

  // The user's page changes by itself: no reload, no navigation.
  const urlBefore = user.page.url();
  await user.page.getByTestId('phase').filter({ hasText: 'approved' }).first().waitFor({ timeout: 15_000 });
  await user.page.getByText('approved for the workshop').first().waitFor();
  assert.equal(user.page.url(), urlBefore);
  assert.deepEqual(await accessibilityViolations(user.page), []);
  await screenshot(user.page, 'approval-portal');
  const stored = await carol.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`);
  assert.equal(stored.status.state, 'approved');
  await carol.ok('POST', `/api/v1/cloud/requests/${request.id}/cancel`, {});
  assert.deepEqual(admin.errors, []);
  assert.deepEqual(user.errors, []);
});
