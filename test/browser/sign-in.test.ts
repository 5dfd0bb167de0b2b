import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { User } from '../../src/domain/user.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The console is served by Fleetyard itself at `/`, and a fresh installation can be signed in to
 * at once with the admin's first-start password; an ended session goes back to the sign-in page.
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

describe('the web console', () => {
  it('is served at / with a Content-Security-Policy, and hashed assets are cached for good', async () => {
    const page = await fetch(`${fx.url}/`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    const asset = /src="(\/assets\/index-[A-Za-z0-9_-]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, `no hashed entry script in ${html}`);
    const js = await fetch(fx.url + asset);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    // A client-side route gets the page; an API miss keeps its JSON error; no dotfile is served.
    const deep = await fetch(`${fx.url}/admin/appliances`, { headers: { accept: 'text/html' } });
    assert.equal(deep.status, 200);
    assert.match(await deep.text(), /<div id="root">/);
    const miss = await fetch(`${fx.url}/api/v1/nothing-here`, { headers: { accept: 'text/html' } });
    assert.equal(miss.status, 404);
    assert.equal(((await miss.json()) as { error: { code: string } }).error.code, 'FY_ROUTE_NOT_FOUND');
    assert.equal((await fetch(`${fx.url}/.source-hash`, { headers: { accept: 'text/plain' } })).status, 404);
    assert.equal((await fetch(`${fx.url}/..%2f..%2fpackage.json`)).status, 404);
  });

  it('keeps the first-start admin password only in a 0600 file, and it signs in', async () => {
    const file = join(fx.cloud.dataDir, 'admin.password');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(fx.adminPassword.length >= 16);
    const { page } = w;
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, 'sign-in');
    await page.getByLabel('Username').fill('admin');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'FY_LOGIN_FAILED' }).waitFor();
    await signIn(page, 'admin', fx.adminPassword);
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('live-badge').filter({ hasText: 'live' }).waitFor();
  });

  it('goes back to the sign-in page when the session ends elsewhere, and signs out', async () => {
    const { page } = w;
    // A password change ends the admin's web sessions; the next call the page makes is a 401.
    const admin = (await fx.cloud.admin.ok<{ items: User[] }>('GET', '/api/v1/users?name=admin')).items[0] as User;
    const newPassword = 'a-new-admin-password-2026';
    await fx.cloud.admin.ok('PUT', `/api/v1/users/${admin.id}/password`, { password: newPassword, currentPassword: fx.adminPassword });
    await page.getByRole('link', { name: 'Appliances' }).first().click();
    await page.waitForURL(/\/sign-in\?next=.*expired=1/);
    await page.getByText('Your session expired').waitFor();
    // Signing in again goes back to where the user was going.
    await page.getByLabel('Username').fill('admin');
    await page.locator('input[name="password"]').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/appliances/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401);
    assert.deepEqual(w.errors, []);
  });
});
