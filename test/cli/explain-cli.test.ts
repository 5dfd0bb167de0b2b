import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Appliance } from '../../src/domain/appliance.ts';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';

/**
 * `fleetyard appliance explain` as an admin runs it, a child process against a real control plane
 * (SQLite, the simulated driver): the decision in a line, then each host's verdict — for an
 * appliance that waits because nothing is big enough, and for one created with its own policy.
 */
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
let sim: SimControlPlane;
let admin: TestApi;
let imageId: string;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FLEETYARD_API: sim.cp.url, FLEETYARD_TOKEN: sim.cp.adminToken ?? '', FORCE_COLOR: '0' }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end();
  });
}

before(async () => {
  sim = await startSimControlPlane();
  admin = new TestApi(sim.cp.url, sim.cp.adminToken);
  imageId = (await admin.uploadImage('img', baseImageTar())).id;
});

after(async () => {
  await sim?.cleanup();
});

describe('fleetyard appliance explain', () => {
  it('says why an appliance waits: fits nowhere, and the one host rejected by capacity with its free room', async () => {
    const a = await admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'huge', imageId, requirements: { virtualization: 'sim', cpu: 256, memoryMiB: 1_048_576 } });
    await eventually(async () => (await admin.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`)).status.message !== null, 'huge pending with its reason');
    const r = await run(['appliance', 'explain', 'huge']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^policy spread; fits nowhere: no host has 256 cpu, 1048576 MiB memory and 0 MiB disk free$/m);
    assert.match(r.stdout, /^0 candidate host\(s\); rejected 1 by capacity$/m);
    assert.match(r.stdout, /^HOST\s+VERDICT\s+SCORE\s+VIRT\s+REASON/m);
    assert.match(r.stdout, /\scapacity\s+-\s+sim\s+has \d+ cpu, \d+ MiB memory and \d+ MiB disk free, needs 256 cpu/);
  });

  it('names the host of one that fits, under the policy it was created with', async () => {
    const created = await run(['appliance', 'create', 'small', '--image', 'img', '--virtualization', 'sim', '--placement-policy', 'pack', '--wait', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const a = JSON.parse(created.stdout) as Appliance;
    assert.equal(a.spec.placement?.policy, 'pack');
    const r = await run(['appliance', 'explain', 'small', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(r.stdout) as { policy: string; fits: boolean; hostIds: string[] };
    assert.deepEqual([e.policy, e.fits, e.hostIds], ['pack', true, [a.status.hostId]]);
    const refused = await run(['appliance', 'create', 'odd', '--image', 'img', '--placement-policy', 'densest']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /densest/);
  });
});
