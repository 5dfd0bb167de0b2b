import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPoweredSimHost, type PoweredSimHost } from '../support/ha/powered-sim-host.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The Power page follows the power manager live: two idle simulated hosts behind simulated BMCs
 * and the embedded host (no BMC), two spares kept on: one simulated host is powered off after its
 * idle time, and the page shows it off, with the reason for each host, without a reload.
 */
let fx: ConsoleFixture;
let w: WatchedPage;
let dir: string;
const hosts: PoweredSimHost[] = [];

before(async () => {
  fx = await startConsole({ controlPlane: { fencing: 'ipmitool', powerManagement: { enabled: true, idleMs: 3_000, spareHosts: 2, leadMs: 60_000, defaultBootMs: 5_000, bootTimeoutMs: 600_000, intervalMs: 300 } } });
  dir = mkdtempSync(join(tmpdir(), 'fy-power-page-'));
  for (const name of ['pp-a', 'pp-b']) hosts.push(await startPoweredSimHost({ name, dir, api: fx.cloud.admin, bus: fx.cloud.cp.bus, storageDir: join(fx.cloud.dataDir, 'storage', 'local') }));
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  await w?.context.close();
  for (const h of hosts) await h.stop().catch(() => undefined);
  await fx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Power page', () => {
  it("shows each host's power state and why, and follows a power-off live", async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    await page.getByRole('link', { name: 'Power' }).click();
    await page.getByRole('heading', { name: 'Power', level: 1 }).waitFor();
    await page.getByTestId('power-enabled').filter({ hasText: 'Power management on' }).waitFor();
    // The embedded host has no BMC: it is never powered off.
    const rows = page.getByRole('table', { name: 'Hosts' }).getByRole('row');
    await rows.filter({ hasText: 'it has no BMC to power it on again with' }).first().waitFor();
    // One of the two simulated hosts goes off; the other stays on as the spare.
    await fx.cloud.until(async () => (await Promise.all(hosts.map((h) => h.bmc.power()))).filter((p) => p === 'off').length === 1, 'one host powered off', 30_000);
    const powers = await Promise.all(hosts.map((h) => h.bmc.power()));
    const [off, spare] = [hosts[powers.indexOf('off')], hosts[powers.indexOf('on')]];
    const nameOf = async (h: PoweredSimHost | undefined) => (await fx.cloud.admin.ok<{ name: string }>('GET', `/api/v1/resources/${h?.hostId}`)).name;
    await page.getByTestId(`power-${await nameOf(off)}`).filter({ has: page.getByText('off', { exact: true }) }).waitFor();
    await page.getByTestId(`power-${await nameOf(off)}`).filter({ hasText: 'asleep: idle for' }).waitFor();
    await page.getByTestId(`power-${await nameOf(spare)}`).filter({ has: page.getByText('awake', { exact: true }) }).waitFor();
    // The reasons move with time (an idle host becomes a spare), not only with events: a reload shows the plan now.
    await page.reload();
    await page.getByTestId(`power-${await nameOf(spare)}`).filter({ hasText: 'kept awake as a spare: 2 idle sim hosts stay on' }).waitFor();
    assert.deepEqual(await off?.bmc.actions(), ['0']);
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the Power page');
    await screenshot(page, 'admin-power');
    assert.deepEqual(w.errors, []);
  });
});
