import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * An appliance's page explains its placement: for one that waits, that it fits nowhere and, host
 * by host, the filter that rejected each and why; for one that runs, the host it would go to now
 * under the policy it names, with its score.
 */
let fx: ConsoleFixture;
let w: WatchedPage;
const ids: string[] = [];

before(async () => {
  fx = await startConsole();
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  await fx?.cloud.admin.deleteAppliancesQuietly(ids);
  await w?.context.close();
  await fx?.close();
});

async function create(body: Record<string, unknown>): Promise<Appliance> {
  const a = await fx.cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', { imageId: fx.cloud.product.spec.imageId, ...body });
  ids.push(a.id);
  return a;
}

describe("an appliance's placement in the console", () => {
  it('shows why a waiting appliance fits nowhere, host by host, and where one that runs would go', async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    const huge = await create({ name: 'too-big', requirements: { virtualization: 'sim', cpu: 256, memoryMiB: 1_048_576 } });
    await page.goto(`/admin/appliances/${huge.id}`);
    await page.getByTestId('waiting').filter({ hasText: 'no host has 256 cpu' }).waitFor();
    await page.getByTestId('placement-decision').filter({ hasText: /^Fits nowhere: no host has 256 cpu, 1048576 MiB memory and 0 MiB disk free \(policy spread\)$/ }).waitFor();
    const rejected = page.getByTestId('placement-hosts').getByRole('row').filter({ hasText: 'capacity' });
    assert.match((await rejected.first().textContent()) ?? '', /needs 256 cpu, 1048576 MiB memory/);
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of a waiting appliance');
    await screenshot(page, 'admin-appliance-placement');

    const small = await create({ name: 'packed', requirements: { virtualization: 'sim' }, placement: { policy: 'pack' } });
    await fx.cloud.admin.waitAppliances([small.id], (x) => x?.status.phase === 'running', 'packed running');
    const hostId = (await fx.cloud.admin.ok<Appliance>('GET', `/api/v1/appliances/${small.id}`)).status.hostId;
    const host = (await fx.cloud.admin.ok<{ name: string }>('GET', `/api/v1/resources/${hostId}`)).name;
    await page.goto(`/admin/appliances/${small.id}`);
    await page.getByTestId('placement-decision').filter({ hasText: `Fits on ${host} (policy pack)` }).waitFor();
    await page.getByTestId('placement').filter({ hasText: 'ranked by pack' }).waitFor();
    await page.getByTestId('placement-hosts').getByRole('row').filter({ hasText: host }).filter({ hasText: 'candidate' }).waitFor();
    assert.deepEqual(w.errors, []);
  });
});
