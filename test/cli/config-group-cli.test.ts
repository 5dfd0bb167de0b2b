import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { ConfigGroup } from '../../src/domain/config-group.ts';
import type { Product } from '../../src/domain/product.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';

/**
 * `fleetyard config-group …` and `fleetyard inventory --ansible` in child processes against a real
 * control plane (simulated driver); the inventory is read by the real `ansible-inventory`.
 */
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
const PLAYBOOK = '- hosts: all\n  tasks:\n    - raw: echo one > /etc/motd\n';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let cp: SimControlPlane;
let dir: string;
const cli = (args: string[], stdin?: string): Promise<Run> =>
  new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, FLEETYARD_API: cp.cp.url, FLEETYARD_TOKEN: cp.cp.adminToken ?? '', FORCE_COLOR: '0' }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
const ok = (run: Run): Run => {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return run;
};
const json = <T>(run: Run): T => JSON.parse(ok(run).stdout) as T;

before(async () => {
  cp = await startSimControlPlane();
  dir = mkdtempSync(join(tmpdir(), 'fy-config-cli-'));
});

after(async () => {
  await cp?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fleetyard config-group', () => {
  it('creates a group from a playbook file, lists, shows and changes it', async () => {
    const file = join(dir, 'motd.yml');
    writeFileSync(file, PLAYBOOK);
    const created = json<ConfigGroup>(await cli(['config-group', 'create', 'motd', '--description', 'a greeting', '--playbook', file, '--json']));
    assert.deepEqual([created.spec.revision, created.spec.ansible?.playbook, created.spec.description], [1, PLAYBOOK, 'a greeting']);
    const table = ok(await cli(['config-group', 'list'])).stdout;
    assert.match(table, /motd\s+1\s+ansible\s+a greeting/);
    const changed = json<ConfigGroup>(await cli(['config-group', 'set', 'motd', '--playbook', '-', '--json'], PLAYBOOK.replace('one', 'two')));
    assert.equal(changed.spec.revision, 2);
    assert.match(changed.spec.ansible?.playbook ?? '', /echo two/);
    const shown = ok(await cli(['config-group', 'show', 'motd'])).stdout;
    assert.match(shown, /revision\s+2/);
    assert.match(shown, /echo two/);
    const nothing = await cli(['config-group', 'set', 'motd']);
    assert.equal(nothing.code, 2, nothing.stderr);
    const broken = await cli(['config-group', 'create', 'broken', '--playbook', '-'], 'hosts: all\n');
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /FY_VALIDATION.*list of plays/);
  });

  it('is carried by a product and refused removal while it is, then removed', async () => {
    const image = await new TestApi(cp.cp.url, cp.cp.adminToken).uploadImage('base', baseImageTar());
    const product = json<Product>(await cli(['product', 'create', 'web', '--image', image.id, '--size', 's:1:64:0', '--virtualization', 'sim', '--config-group', 'motd', '--json']));
    assert.deepEqual(product.spec.configGroups, ['motd']);
    const refused = await cli(['config-group', 'rm', 'motd']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /FY_CONFIG_GROUP_IN_USE: .*product web/);
    ok(await cli(['product', 'show', 'web']));
    const api = new TestApi(cp.cp.url, cp.cp.adminToken);
    await api.ok('PATCH', `/api/v1/products/${product.id}`, { configGroups: [] });
    ok(await cli(['config-group', 'rm', 'motd']));
    assert.deepEqual(json<unknown[]>(await cli(['config-group', 'list', '--json'])), []);
  });
});

describe('fleetyard inventory --ansible', () => {
  it('prints a dynamic inventory that ansible-inventory reads: groups from configuration groups and labels, hostvars with address, owner and labels', async () => {
    const api = new TestApi(cp.cp.url, cp.cp.adminToken);
    await api.ok('POST', '/api/v1/config-groups', { name: 'ntp.client', ansible: { playbook: PLAYBOOK } });
    const image = (await api.ok<{ items: Array<{ id: string }> }>('GET', '/api/v1/images?name=base')).items[0] as { id: string };
    const made = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'web-1', imageId: image.id, requirements: { virtualization: 'sim' }, labels: { tier: 'gold' }, configGroups: ['ntp.client'] });
    await api.waitAppliances([made.id], (x) => x?.status.phase === 'running', 'web-1 running');
    const a = await api.ok<Appliance>('GET', `/api/v1/appliances/${made.id}`);
    assert.ok(a.status.address);
    ok(await cli(['appliance', 'create', 'db-1', '--image', 'base', '--no-start', '--label', 'tier=silver', '--config-group', 'ntp.client']));
    const inventory = json<Record<string, { hosts?: string[] }> & { _meta: { hostvars: Record<string, Record<string, unknown>> } }>(await cli(['inventory', '--ansible']));
    assert.deepEqual(inventory.config_ntp_client?.hosts, ['db-1', 'web-1']);
    assert.deepEqual(inventory.label_tier_gold?.hosts, ['web-1']);
    assert.deepEqual(inventory.label_tier_silver?.hosts, ['db-1']);
    assert.deepEqual(inventory._meta.hostvars['web-1'], {
      ansible_host: a.status.address,
      fleetyard_id: a.id,
      fleetyard_owner: 'admin',
      fleetyard_labels: { tier: 'gold' },
      fleetyard_config_groups: ['ntp.client'],
      fleetyard_phase: 'running',
      fleetyard_host_id: a.status.hostId,
    });
    assert.deepEqual(json<Record<string, unknown>>(await cli(['inventory', '--ansible', '--host', 'db-1'])).fleetyard_labels, { tier: 'silver' });

    // The real ansible-inventory takes it through a script inventory, as a user's Ansible would.
    const script = join(dir, 'fleetyard-inventory');
    writeFileSync(script, `#!/bin/sh\ncat '${join(dir, 'inventory.json')}'\n`);
    chmodSync(script, 0o700);
    writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ANSIBLE_HOME: join(dir, 'ansible'), ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp'), ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True' };
    const graph = execFileSync('ansible-inventory', ['-i', script, '--graph'], { env, encoding: 'utf8' });
    assert.match(graph, /@config_ntp_client:\n[ |]*--db-1\n[ |]*--web-1\n/);
    assert.match(graph, /@label_tier_silver:\n[ |]*--db-1\n/);
    const host = JSON.parse(execFileSync('ansible-inventory', ['-i', script, '--host', 'web-1'], { env, encoding: 'utf8' })) as Record<string, unknown>;
    assert.deepEqual([host.ansible_host, host.fleetyard_owner], [a.status.address, 'admin']);
  });
});
