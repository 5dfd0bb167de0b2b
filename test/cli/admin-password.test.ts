import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';

/**
 * A fresh installation is usable in a browser at once: the first start writes the admin's
 * generated password once, and `fleetyard user passwd admin` (run on that machine, with the
 * admin token file the first start also wrote) changes it and removes the stale file.
 */
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
let sim: SimControlPlane;

before(async () => {
  sim = await startSimControlPlane();
});

after(async () => {
  await sim?.cleanup();
});

function passwd(stdin: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'user', 'passwd', 'admin', '--password-stdin'], {
      env: { ...process.env, FLEETYARD_API: sim.cp.url, FLEETYARD_DATA_DIR: sim.dataDir, FLEETYARD_TOKEN: '', FORCE_COLOR: '0' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

const login = async (password: string) =>
  (await fetch(`${sim.cp.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin', password }) })).status;

it('the first-start admin password signs in, and `user passwd admin` replaces it and removes its file', async () => {
  const file = join(sim.dataDir, 'admin.password');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const first = readFileSync(file, 'utf8').trim();
  assert.equal(await login(first), 200);
  // Too short: the server refuses, nothing changes, the file stays.
  const short = await passwd('short\n');
  assert.notEqual(short.code, 0, short.out);
  assert.ok(existsSync(file));
  const changed = await passwd('a-brand-new-admin-password\n');
  assert.equal(changed.code, 0, changed.out);
  assert.match(changed.out, /password of admin changed/);
  assert.equal(existsSync(file), false);
  assert.equal(await login('a-brand-new-admin-password'), 200);
  assert.equal(await login(first), 401);
});
