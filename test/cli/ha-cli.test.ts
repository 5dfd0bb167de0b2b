import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FakeClock } from '../../src/domain/clock.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { HaFleet } from '../support/ha-fleet.ts';

/**
 * `fleetyard ha plan` as users run it, a child process against a real control plane whose fleet
 * is two qemu hosts: a runs two HA appliances of 400 MiB and one that is not HA, b has 500 MiB.
 * If a fails, the first restarts on b and the second cannot.
 */
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let api: SimControlPlane;
let a: Resource;
let b: Resource;

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, FLEETYARD_API: api.cp.url, FLEETYARD_TOKEN: api.cp.adminToken ?? '', FORCE_COLOR: '0' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  api = await startSimControlPlane({ clock: new FakeClock(new Date()) });
  const admin = new TestApi(api.cp.url, api.cp.adminToken);
  const image = await admin.uploadImage('base', baseImageTar());
  const fleet = new HaFleet(api.cp.store, image.id);
  a = await fleet.host('cli-a', 2000);
  b = await fleet.host('cli-b', 500);
  await fleet.run('one', a, { memoryMiB: 400 });
  await fleet.run('two', a, { memoryMiB: 400 });
  await fleet.run('plain', a, { ha: false });
});

after(async () => {
  await api?.cleanup();
});

describe('fleetyard ha plan', () => {
  it('shows, for --fail HOST, where each HA appliance restarts and which cannot, as a table', async () => {
    const r = await run('ha', 'plan', '--fail', 'cli-a');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /IF FAILED\s+APPLIANCE\s+OUTCOME\s+REASON/);
    assert.match(r.stdout, /cli-a\s+one\s+restarts on cli-b/);
    assert.match(r.stdout, /cli-a\s+two\s+CANNOT RESTART\s+no host has 1 cpu, 400 MiB memory/);
    assert.match(r.stdout, /cli-a\s+plain\s+lost \(not HA\)/);
    assert.match(r.stdout, /1 HA appliance\(s\) could not restart/);
  });

  it('prints the API\'s plan with --json, hosts named by id too', async () => {
    const r = await run('ha', 'plan', '--fail', a.id, '--json');
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { mode: string; scenarios: Array<{ restarts: Array<{ name: string; to: { id: string } | null }> }> };
    assert.equal(plan.mode, 'given');
    assert.deepEqual(plan.scenarios[0]?.restarts.map((x) => [x.name, x.to?.id ?? null]), [['one', b.id], ['two', null]]);
  });

  it('without --fail, plans each host and says N+1 does not hold', async () => {
    const r = await run('ha', 'plan');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cli-b\s+-\s+nothing to restart/);
    assert.match(r.stdout, /N\+1 does NOT hold/);
  });

  it('exits 2 with the server\'s code for a host that does not exist', async () => {
    const r = await run('ha', 'plan', '--fail', 'nowhere');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /FY_VALIDATION|no host/);
  });
});
