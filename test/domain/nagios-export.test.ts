import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { nagiosObjects } from '../../src/domain/nagios-objects.ts';

/** The generated object definitions, checked by the real Nagios (Debian's nagios4 -v). */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fy-nagios-'));
// nagios4 reads its object files as the nagios user it drops to, so they must be readable to it.
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

async function verify(objects: string): Promise<{ ok: boolean; out: string }> {
  writeFileSync(join(dir, 'fleetyard.cfg'), objects);
  writeFileSync(join(dir, 'resource.cfg'), '$USER1$=/usr/lib/nagios/plugins\n');
  // What an existing Nagios's nagios.cfg has besides (Debian's default for the macro characters).
  writeFileSync(join(dir, 'nagios.cfg'), `cfg_file=${join(dir, 'fleetyard.cfg')}\nresource_file=${join(dir, 'resource.cfg')}\nillegal_macro_output_chars=\`~$&|'"<>\n`);
  try {
    const r = await run('nagios4', ['-v', join(dir, 'nagios.cfg')]);
    return { ok: true, out: r.stdout };
  } catch (e) {
    return { ok: false, out: String((e as { stdout?: string }).stdout ?? e) };
  }
}

test('the export of appliances and every kind of check passes nagios4 -v with no warnings', async () => {
  const objects = nagiosObjects(
    [
      {
        name: 'web-1',
        address: '169.254.10.2',
        checks: [
          { name: 'http', kind: 'http', port: 80, path: '/health?x=1', expectStatus: 200, warning: '1', critical: '2', intervalSeconds: 30, retryIntervalSeconds: 5, maxCheckAttempts: 4 },
          { name: 'ssh', kind: 'tcp', port: 22 },
          { name: 'alive', kind: 'ping', warning: '50,10%', critical: '200,40%' },
          { name: 'own', kind: 'command', command: ['check_dummy', '0', "it's fine; really $5", '--host=$HOSTADDRESS$'] },
        ],
      },
      { name: 'db', address: '169.254.10.3', checks: [] },
    ],
    '2026-01-01T00:00:00.000Z',
  );
  const r = await verify(objects);
  assert.ok(r.ok, r.out);
  assert.match(r.out, /Total Warnings: 0/);
  assert.match(r.out, /Total Errors:\s+0/);
  assert.match(r.out, /Checked 4 services\./);
  assert.match(r.out, /Checked 2 hosts\./);
  assert.match(objects, /check_command\s+fleetyard-check-http!80!\/health\?x=1!-e 200 -w 1 -c 2/);
  assert.match(objects, /check_interval\s+0\.5\n/);
});

test('nagios4 -v refuses a broken export (the validation is real)', async () => {
  const objects = nagiosObjects([{ name: 'web-1', address: '169.254.10.2', checks: [{ name: 'ssh', kind: 'tcp', port: 22 }] }], 'now').replace(/command_name\s+fleetyard-check-tcp\n/, 'command_name  renamed\n');
  const r = await verify(objects);
  assert.equal(r.ok, false);
  assert.match(r.out, /fleetyard-check-tcp/);
});
