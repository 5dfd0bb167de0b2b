import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { Image } from '../../src/domain/image.ts';
import { toHostname } from '../../src/domain/names.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { PhysicalDriver } from '../../src/drivers/physical/physical-driver.ts';
import { exec } from '../../src/host/exec.ts';
import { fakeBzImage, fakeInitrd } from '../support/kernel-files.ts';
import { createPxeLab, type PxeLab } from '../support/physical/pxe-lab.ts';
import { startSimServer, type SimServer } from '../support/physical/sim-bmc.ts';
import { accessibilityViolations, openPage, PHONE, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The admin's inventory pages against a whole cloud on loopback. This machine is the host; its
 * agent network-boots servers on a boot network in a namespace of the test's own, so a physical
 * server can be registered: its BMC is OpenIPMI's simulator on 127.0.0.1 (no traffic leaves
 * loopback), whose power state the page shows as the server reads it. Images and kernels are
 * uploaded through the file inputs from files in a temporary directory. Every change shows up
 * without reloading (live events only); each page has no serious accessibility violation.
 *
 * Everything the test makes (namespace, BMC, boot daemons, files) is removed in `after`.
 */
let fx: ConsoleFixture | undefined;
let w: WatchedPage;
let lab: PxeLab | undefined;
let bmc: SimServer | undefined;
let work: string;
let dataDir = '';

const MAC = '52:54:00:f3:0a:01';
/** Chromium reports every answer ≥ 400 as a console error; the refused delete of `base` is one on purpose. */
const REFUSED_DELETE = /Failed to load resource: the server responded with a status of 409/;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'fy-inventory-'));
  lab = await createPxeLab();
  const tap = await lab.addTap('tap-inv1');
  bmc = await startSimServer({ name: 'pm-web', dir: join(work, 'bmc'), netns: lab.netns, tap, mac: MAC });
  fx = await startConsole({ controlPlane: { bootNetworks: [lab.network] } });
  dataDir = fx.cloud.dataDir;
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  try {
    await w?.context.close();
    // The boot service's daemons outlive the control plane on purpose (a restarted one adopts
    // them); they are ended as an operator would, while their state directory still exists.
    if (fx && lab) await new PhysicalDriver({ stateDir: join(dataDir, 'run', 'physical'), networks: [lab.network] }).shutdown();
    await fx?.close();
  } finally {
    await bmc?.stop();
    await lab?.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
  if (dataDir) {
    const left = (await exec('ps', ['-eo', 'pid,args'])).stdout.split('\n').filter((l) => l.includes(dataDir) || l.includes(work));
    assert.deepEqual(left, [], 'processes left behind');
  }
});

function cloud(): ConsoleFixture {
  assert.ok(fx, 'the console did not start');
  return fx;
}

/** The table whose caption starts with `caption`. */
const table = (page: Page, caption: string) => page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
const row = (page: Page, caption: string, text: string) => table(page, caption).getByTestId('row').filter({ hasText: text });

async function cleanPage(page: Page, what: string): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), [], `accessibility of ${what}`);
}

/**
 * The open dialog's own serious or critical violations, by the rules accessibilityViolations
 * uses. Only the dialog: the page behind it lies under a dimming overlay, which axe counts as
 * the background of every text there.
 */
async function cleanDialog(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`).join(" | ")}`);
  assert.deepEqual(bad, [], `accessibility of ${what}`);
}

describe('the admin inventory pages', () => {
  it('shows this machine as a host, registers a physical server whose BMC answers, and removes it', async () => {
    const { page } = w;
    await signIn(page, 'admin', cloud().adminPassword);
    await page.getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('heading', { name: 'Resources', level: 1 }).waitFor();
    await page.getByTestId('live-badge').filter({ hasText: 'live' }).waitFor();

    const host = row(page, 'Hosts', toHostname(hostname()));
    await host.waitFor();
    assert.equal(await host.getByTestId('resource-state').textContent(), 'active');
    assert.match((await host.textContent()) ?? '', /container/);
    assert.match((await host.textContent()) ?? '', /physical/, 'its agent network-boots servers');
    await table(page, 'Physical servers').getByText('No physical server is registered.').or(page.getByText('No physical server is registered.')).first().waitFor();

    await page.getByRole('button', { name: 'Register server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register a physical server' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Register' }).click();
    await dialog.getByText('Give the server a name').waitFor();
    await cleanDialog(page, 'the registration form');
    assert.ok(bmc);
    await dialog.getByRole('textbox', { name: 'Name' }).fill('pm-web');
    await dialog.getByRole('textbox', { name: 'MAC address' }).fill(MAC);
    await dialog.getByRole('textbox', { name: 'BMC address' }).fill(bmc.bmc.address);
    await dialog.getByRole('textbox', { name: 'BMC port' }).fill(String(bmc.bmc.port));
    await dialog.getByRole('textbox', { name: 'BMC user' }).fill(bmc.bmc.user);
    await dialog.getByLabel('BMC password').fill(bmc.bmc.password);
    await dialog.getByRole('textbox', { name: 'Memory (MiB)' }).fill('256');
    await dialog.getByRole('button', { name: 'Register' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const server = row(page, 'Physical servers', 'pm-web');
    await server.waitFor();
    // The server reads the BMC through the host's agent; the change arrives as an event.
    await server.getByTestId('power-state').filter({ hasText: 'power off' }).waitFor({ timeout: 30_000 });
    assert.match((await server.textContent()) ?? '', new RegExp(`admin@127\\.0\\.0\\.1:${bmc.bmc.port}`));
    const stored = (await cloud().cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?role=server')).items;
    assert.deepEqual(stored.map((r) => [r.name, r.spec.mac, r.status.powerState]), [['pm-web', MAC, 'off']]);
    assert.equal(JSON.stringify(stored).includes(bmc.bmc.password), false, 'the BMC password is never shown again');
    await cleanPage(page, 'the resources page');
    await screenshot(page, 'resources');

    await server.getByRole('button', { name: 'Remove pm-web' }).click();
    await page.getByRole('dialog', { name: 'Remove server pm-web?' }).getByRole('button', { name: 'Remove' }).click();
    await server.waitFor({ state: 'detached' });
    assert.deepEqual((await cloud().cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?role=server')).items, []);
  });

  it('creates a join token shown once, and revokes it', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Create join token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a join token' });
    await dialog.getByRole('textbox', { name: 'Note' }).fill('rack 4, node 12');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const token = (await dialog.getByTestId('join-token').textContent()) ?? '';
    assert.match(token, /^fyj_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    await cleanDialog(page, 'the new join token');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const listed = row(page, 'Join tokens', 'rack 4, node 12');
    await listed.getByTestId('token-state').filter({ hasText: 'pending' }).waitFor();
    assert.equal(((await page.content()).includes(token)), false, 'the token is gone from the page once closed');
    await listed.getByRole('button', { name: 'Revoke the token rack 4, node 12' }).click();
    await page.getByRole('dialog', { name: 'Revoke this join token?' }).getByRole('button', { name: 'Revoke' }).click();
    await listed.getByTestId('token-state').filter({ hasText: 'revoked' }).waitFor();
    const tokens = (await cloud().cloud.admin.ok<{ items: Array<{ note: string; state: string }> }>('GET', '/api/v1/hosts/join-tokens?state=revoked')).items;
    assert.ok(tokens.some((t) => t.note === 'rack 4, node 12'));
  });

  it('uploads an image through the file input, refuses to delete the one a product uses, and deletes the new one', async () => {
    const { page } = w;
    const rootfs = join(work, 'rootfs');
    mkdirSync(join(rootfs, 'etc'), { recursive: true });
    writeFileSync(join(rootfs, 'etc', 'hostname'), 'tiny\n');
    const tarball = join(work, 'tiny.tar');
    execFileSync('tar', ['-C', rootfs, '-cf', tarball, '.']);

    await page.getByRole('link', { name: 'Images' }).click();
    await page.getByRole('heading', { name: 'Images', level: 1 }).waitFor();
    await row(page, 'Images', 'base').getByTestId('phase').filter({ hasText: 'ready' }).waitFor();
    await page.getByRole('button', { name: 'Upload image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload an image' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('tiny');
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: /Root filesystem/ }).click();
    await (await chooser).setFiles(tarball);
    await dialog.getByText('tiny.tar').waitFor();
    await cleanDialog(page, 'the image upload form');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const tiny = row(page, 'Images', 'tiny');
    await tiny.getByTestId('phase').filter({ hasText: 'ready' }).waitFor();
    const stored = (await cloud().cloud.admin.ok<{ items: Image[] }>('GET', '/api/v1/images?name=tiny')).items[0];
    assert.equal(stored?.status.state, 'ready');
    assert.ok((stored?.status.sizeBytes ?? 0) > 0);

    await row(page, 'Images', 'base').getByRole('button', { name: 'Delete base' }).click();
    await page.getByRole('dialog', { name: 'Delete image base?' }).getByRole('button', { name: 'Delete' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Image base was not deleted' });
    await refusal.waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await refusal.getByTestId('error-code').textContent(), 'FY_IMAGE_IN_USE');
    assert.match((await refusal.textContent()) ?? '', /image base is used by product small/);
    assert.equal(await row(page, 'Images', 'base').count(), 1, 'base is still there');
    await cleanPage(page, 'the images page');
    await screenshot(page, 'images');

    await tiny.getByRole('button', { name: 'Delete tiny' }).click();
    await page.getByRole('dialog', { name: 'Delete image tiny?' }).getByRole('button', { name: 'Delete' }).click();
    await tiny.waitFor({ state: 'detached' });
    assert.deepEqual((await cloud().cloud.admin.ok<{ items: Image[] }>('GET', '/api/v1/images?name=tiny')).items, []);
  });

  it('adds a kernel from its files, and shows the networks', async () => {
    const { page } = w;
    writeFileSync(join(work, 'vmlinuz'), fakeBzImage());
    writeFileSync(join(work, 'initrd.img'), fakeInitrd());
    await page.getByRole('link', { name: 'Kernels' }).click();
    await page.getByRole('heading', { name: 'Kernels', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add kernel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a kernel' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('fake-kernel');
    for (const [label, file] of [[/^vmlinuz/, 'vmlinuz'], [/^initrd/, 'initrd.img']] as const) {
      const chooser = page.waitForEvent('filechooser');
      await dialog.getByRole('button', { name: label }).click();
      await (await chooser).setFiles(join(work, file));
    }
    await dialog.getByText('initrd.img').waitFor();
    await cleanDialog(page, 'the kernel form');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const kernel = row(page, 'Kernels', 'fake-kernel');
    await kernel.getByTestId('phase').filter({ hasText: 'ready' }).waitFor();
    assert.match((await kernel.textContent()) ?? '', /4\.0 KiB/);
    await cleanPage(page, 'the kernels page');
    await screenshot(page, 'kernels');

    await page.getByRole('link', { name: 'Networks' }).click();
    await page.getByRole('heading', { name: 'Networks', level: 1 }).waitFor();
    await row(page, 'Networks', assertDefined(lab).network.name).waitFor();
    await row(page, 'Networks', 'default').waitFor();
    await cleanPage(page, 'the networks page');
    await screenshot(page, 'networks');
    await row(page, 'Networks', 'default').getByRole('link', { name: 'default' }).click();
    await page.getByRole('heading', { name: 'Network default', level: 1 }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(cloud().cloud.net.cidr.replace(/\./g, '\\.')));
    await cleanPage(page, 'a network');
  });

  it('fits a phone', async () => {
    const phone = await openPage(cloud().browser, cloud().url, PHONE);
    try {
      // As signIn does; it waits for the signed-in name, which a phone's header leaves out.
      await phone.page.goto('/admin/resources');
      await phone.page.getByLabel('Username').fill('admin');
      await phone.page.locator('input[name="password"]').fill(cloud().adminPassword);
      await phone.page.getByRole('button', { name: 'Sign in' }).click();
      await phone.page.getByRole('heading', { name: 'Resources', level: 1 }).waitFor();
      await row(phone.page, 'Hosts', toHostname(hostname())).waitFor();
      await row(phone.page, 'Join tokens', 'rack 4, node 12').waitFor();
      await cleanPage(phone.page, 'the resources page on a phone');
      await screenshot(phone.page, 'resources-phone');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }
  });

  it('ran without console errors but the refused delete', () => {
    assert.equal(w.errors.filter((e) => REFUSED_DELETE.test(e)).length, 1, w.errors.join('\n'));
    assert.deepEqual(w.errors.filter((e) => !REFUSED_DELETE.test(e)), []);
  });
});

function assertDefined<T>(x: T | undefined): T {
  assert.ok(x !== undefined);
  return x;
}
