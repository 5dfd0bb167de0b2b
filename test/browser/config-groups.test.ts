import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { ConfigGroup } from '../../src/domain/config-group.ts';
import { accessibilityViolations, openPage, screenshot, signIn, type WatchedPage } from './support/browser.ts';
import { startConsole, type ConsoleFixture } from './support/console-fixture.ts';

/**
 * The admin defines a configuration group in the console with its playbook, an appliance (a real
 * container) carrying it gets it applied by ansible-playbook, and the group's dialog shows that
 * application live; a change of the playbook is saved as revision 2 and shows applied again; the
 * group cannot be deleted while the appliance carries it, and the dialog says who does.
 */
const V1 = '/api/v1';
const playbook = (text: string) => `- hosts: all\n  tasks:\n    - name: greet\n      raw: echo '${text}' > /etc/motd\n`;

let fx: ConsoleFixture;
let w: WatchedPage;
let appliance: Appliance | undefined;

before(async () => {
  fx = await startConsole();
  w = await openPage(fx.browser, fx.url);
});

after(async () => {
  await w?.context.close();
  if (appliance) await fx?.cloud.admin.deleteAppliancesQuietly([appliance.id]);
  await fx?.close();
});

describe('configuration groups in the admin console', () => {
  it('creates a group with its playbook', async () => {
    const { page } = w;
    await signIn(page, 'admin', fx.adminPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Configuration groups' }).waitFor();
    await page.getByRole('button', { name: 'Create configuration group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create configuration group' });
    await dialog.getByLabel('Name').fill('motd');
    await dialog.getByLabel('Description').fill('The greeting');
    await dialog.getByLabel('Ansible playbook').fill('hosts: all');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'list of plays' }).waitFor();
    await dialog.getByLabel('Ansible playbook').fill(playbook('revision one'));
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the group form');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('row').filter({ hasText: 'The greeting' }).waitFor();
    const groups = await fx.cloud.admin.ok<{ items: ConfigGroup[] }>('GET', `${V1}/config-groups?name=motd`);
    assert.equal(groups.items[0]?.spec.ansible?.playbook, playbook('revision one'));
  });

  it('shows the application to an appliance carrying it as it happens, and again after a change', async () => {
    const { page } = w;
    appliance = await fx.cloud.admin.ok<Appliance>('POST', `${V1}/appliances`, {
      name: 'greeter',
      imageId: fx.cloud.product.spec.imageId,
      requirements: { virtualization: 'container' },
      configGroups: ['motd'],
    });
    await page.getByRole('button', { name: 'Open motd' }).click();
    const dialog = page.getByRole('dialog', { name: 'Configuration group motd' });
    const row = dialog.getByTestId('carrier').filter({ hasText: 'greeter' });
    await row.waitFor();
    // No reload: the appliance's events bring the result.
    await row.getByText('applied (revision 1)').waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /greet|ok/);
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the group dialog');
    await screenshot(page, 'config-groups');

    await dialog.getByLabel('Ansible playbook').fill(playbook('revision two'));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').filter({ hasText: 'revision 2' }).waitFor();
    await row.getByText('applied (revision 2)').waitFor({ timeout: 60_000 });
    const a = await fx.cloud.admin.ok<Appliance>('GET', `${V1}/appliances/${appliance.id}`);
    assert.deepEqual(a.status.config?.map((c) => [c.group, c.revision, c.state]), [['motd', 2, 'applied']]);
    // The appliance's own page says so too.
    await dialog.getByRole('link', { name: 'greeter' }).click();
    await page.getByRole('heading', { level: 1, name: 'greeter' }).waitFor();
    await page.getByTestId('config').filter({ hasText: 'motd applied (revision 2)' }).waitFor();
    await page.goBack();
    await page.getByRole('button', { name: 'Open motd' }).click();
  });

  it('refuses to delete the group while the appliance carries it, naming the appliance', async () => {
    const dialog = w.page.getByRole('dialog', { name: 'Configuration group motd' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'appliance greeter' }).waitFor();
    assert.equal((await fx.cloud.admin.ok<{ items: ConfigGroup[] }>('GET', `${V1}/config-groups?name=motd`)).items.length, 1);
  });
});
