import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * The checks API on a real control plane (simulated driver): definitions validated with a code
 * and the field, command checks taken from an admin, the checks view, the Nagios export from the
 * API and from `fleetyard monitoring export --nagios`, which nagios4 -v accepts. Appliances here
 * stay stopped, so no check runs against an address nothing serves.
 */
const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
let sim: SimControlPlane;
let api: TestApi;
let imageId: string;
const dir = mkdtempSync(join(tmpdir(), 'fy-checks-api-'));
chmodSync(dir, 0o755);

before(async () => {
  sim = await startSimControlPlane();
  api = new TestApi(sim.cp.url, sim.cp.adminToken);
  imageId = (await api.uploadImage('img', baseImageTar())).id;
});
after(async () => {
  await sim.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const V1 = '/api/v1';

test('check definitions are validated at the API with a code and the field', async () => {
  const a = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'web', imageId, start: false });
  const refused = async (checks: unknown, field: string) => {
    const r = await api.call<{ error: { code: string; details: { issues: Array<{ path: string }> } } }>('PUT', `${V1}/appliances/${a.id}/checks`, { checks });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'FY_VALIDATION');
    assert.ok(r.body.error.details.issues.some((i) => `${i.path} ${(i as { message?: string }).message ?? ''}`.includes(field)), `${field} in ${JSON.stringify(r.body.error.details.issues)}`);
  };
  await refused([{ name: 'x', kind: 'tcp' }], 'port');
  await refused([{ name: 'x', kind: 'http', port: 70000 }], 'port');
  await refused([{ name: 'x', kind: 'smtp' }], 'kind');
  await refused([{ name: 'x', kind: 'http', path: '/$(reboot)' }], 'path');
  await refused([{ name: 'x', kind: 'ping', intervalSeconds: 0 }], 'intervalSeconds');
  await refused([{ name: 'x', kind: 'ping', extra: 1 }], 'extra');
  const bad = await api.call<{ error: { code: string } }>('POST', `${V1}/appliances`, { name: 'web2', imageId, start: false, checks: [{ name: 'x', kind: 'tcp' }] });
  assert.equal(bad.body.error.code, 'FY_VALIDATION');
  assert.equal((await api.ok<Appliance>('GET', `${V1}/appliances/${a.id}`)).spec.checks, undefined, 'nothing refused was kept');
});

test('an admin sets checks (a command check too); the view shows them; the Nagios export passes nagios4 -v', async () => {
  // Started once without checks and stopped, it keeps its address; its checks never run here.
  let a = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'db', imageId, requirements: { virtualization: 'sim' } });
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
  await api.ok('POST', `${V1}/appliances/${a.id}/stop`);
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'stopped', 'stopped');
  a = await api.ok<Appliance>('GET', `${V1}/appliances/${a.id}`);
  const address = a.status.address as string;
  const checks = [
    { name: 'port', kind: 'tcp', port: 5432, warning: '1', critical: '3' },
    { name: 'own', kind: 'command', command: ['check_dummy', '0', 'fine'] },
  ];
  const set = await api.ok<Appliance>('PUT', `${V1}/appliances/${a.id}/checks`, { checks });
  assert.deepEqual(set.spec.checks, checks);
  assert.equal(set.generation, a.generation + 1);
  const view = await api.ok<{ checks: unknown[]; results: unknown[] }>('GET', `${V1}/appliances/${a.id}/checks`);
  assert.deepEqual(view, { checks, results: [] });
  const events = await api.ok<{ items: Array<{ type: string; data: unknown }> }>('GET', `${V1}/events?objectId=${a.id}&type=appliance.checks-set`);
  assert.deepEqual(events.items.map((e) => e.data), [{ checks: ['port', 'own'] }]);
  // Setting the same checks again changes nothing.
  assert.equal((await api.ok<Appliance>('PUT', `${V1}/appliances/${a.id}/checks`, { checks })).generation, set.generation);

  const res = await fetch(`${sim.cp.url}${V1}/monitoring/nagios`, { headers: { authorization: `Bearer ${sim.cp.adminToken}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  assert.match(text, new RegExp(`host_name\\s+db\\n\\s+alias\\s+Fleetyard appliance db\\n\\s+address\\s+${address.replaceAll('.', '\\.')}\\n`));
  assert.match(text, /service_description\s+port\n\s+check_command\s+fleetyard-check-tcp!5432!-w 1 -c 3\n/);
  assert.match(text, /command_name\s+fleetyard-db-own\n\s+command_line\s+\$USER1\$\/check_dummy 0 fine\n/);
  // Never-placed appliances have no address and are left out.
  assert.doesNotMatch(text, /host_name\s+web\n/);

  const out = join(dir, 'fleetyard.cfg');
  const cli = await run(process.execPath, [BIN, 'monitoring', 'export', '--nagios', '--out', out], {
    env: { ...process.env, FLEETYARD_API: sim.cp.url, FLEETYARD_TOKEN: sim.cp.adminToken ?? '' },
  });
  assert.match(cli.stderr, /written to/);
  assert.match(readFileSync(out, 'utf8'), /define contact/);
  writeFileSync(join(dir, 'resource.cfg'), '$USER1$=/usr/lib/nagios/plugins\n');
  writeFileSync(join(dir, 'nagios.cfg'), `cfg_file=${out}\nresource_file=${join(dir, 'resource.cfg')}\nillegal_macro_output_chars=\`~$&|'"<>\n`);
  const v = await run('nagios4', ['-v', join(dir, 'nagios.cfg')]);
  assert.match(v.stdout, /Total Errors:\s+0/);
  assert.match(v.stdout, /Checked 2 services\./);
  const usage = await run(process.execPath, [BIN, 'monitoring', 'export'], { env: { ...process.env, FLEETYARD_API: sim.cp.url } }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((usage as { code: number }).code, 2, 'a format must be named');
});
