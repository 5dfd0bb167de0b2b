import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import type { StackApplyResult, StackDetail, StackPlan } from '../../src/domain/stack-plan.ts';

/**
 * `fleetyard stack …` in child processes against a real control plane (SQLite, in-process bus,
 * the simulated driver): apply a file and wait, save what `show -o yaml` prints, plan that file
 * ("no changes"), change the count, and remove the stack by name and by file. The admin's stack
 * is appliances; a cloud user's, cloud requests.
 */

const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
const PASSWORD = 'correct-horse-battery-staple';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const doc = (name: string, count: number, hours?: number) => `# written by hand
apiVersion: fleetyard.io/v1
kind: Stack
metadata: {name: ${name}}
spec:
${hours === undefined ? '' : `  hours: ${hours}\n`}  appliances:
    - name: web
      product: small
      size: s
      count: ${count}
    - {name: db, product: small, size: s}
  links:
    - {from: web, to: db}
`;

describe('fleetyard stack', () => {
  let dir: string;
  let cp: ControlPlane;
  let userToken = '';

  const cli = (token: string, args: string[], stdin?: string): Promise<Run> =>
    new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: { ...process.env, FLEETYARD_API: cp.url, FLEETYARD_TOKEN: token, FLEETYARD_DATA_DIR: join(dir, 'nowhere'), FORCE_COLOR: '0' },
          timeout: 120_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  const admin = (...args: string[]) => cli(cp.adminToken ?? '', args);
  const user = (...args: string[]) => cli(userToken, args);
  const ok = (run: Run): Run => {
    assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
    return run;
  };
  const json = <T>(run: Run): T => JSON.parse(ok(run).stdout) as T;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetyard-stack-cli-'));
    mkdirSync(join(dir, 'rootfs', 'etc'), { recursive: true });
    writeFileSync(join(dir, 'rootfs', 'etc', 'hostname'), 'sim\n');
    const third = 1 + ((randomBytes(1)[0] as number) % 253);
    cp = await startControlPlane({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      drivers: [new SimDriver({})],
      networkBridge: `fyt${randomBytes(3).toString('hex')}`,
      networkCidr: `169.254.${third >= 169 ? third + 1 : third}.0/24`,
      policy: { autoApproveMaxCcu: 1000, provisionLeadMs: 60_000 },
    });
    ok(await admin('image', 'import', join(dir, 'rootfs'), '--name', 'base'));
    ok(await admin('product', 'create', 'small', '--image', 'base', '--size', 's:1:64:0', '--virtualization', 'sim'));
  });

  after(async () => {
    await cp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans a new stack as a table, and as JSON', async () => {
    const table = ok(await admin('stack', 'plan', '-f', file('shop.yaml', doc('shop', 2))));
    assert.match(table.stdout, /^stack shop \(new\): appliances$/m);
    assert.match(table.stdout, /^MEMBER\s+#\s+ACTION\s+KIND/m);
    assert.match(table.stdout, /^web\s+2\s+create\s+appliance\b/m);
    assert.match(table.stdout, /^summary\s+3 to create, 0 to change, 0 to remove, 0 unchanged\s*$/m);
    assert.match(table.stdout, /^apply would make these changes$/m);
    const plan = json<StackPlan>(await admin('stack', 'plan', '-f', join(dir, 'shop.yaml'), '--json'));
    assert.deepEqual(plan.summary, { create: 3, keep: 0, change: 0, remove: 0 });
    assert.equal(plan.members[0]?.image.name, 'base');
  });

  it('applies -f and waits; show -o yaml saved to a file plans "no changes"', async () => {
    const applied = ok(await admin('stack', 'apply', '-f', join(dir, 'shop.yaml'), '--wait', '--timeout', '60'));
    assert.match(applied.stderr, /stack shop applied \(version 1\)/);
    assert.equal(applied.stdout.split('\n').filter((l) => /\bcreate\s+appliance\b/.test(l)).length, 3);

    const shown = json<StackDetail>(await admin('stack', 'show', 'shop', '-o', 'json'));
    assert.deepEqual(shown.instances.map((i) => [i.member, i.ordinal, i.object?.state]), [['db', 1, 'running'], ['web', 1, 'running'], ['web', 2, 'running']]);
    const table = ok(await admin('stack', 'show', 'shop'));
    assert.match(table.stdout, /^web\s+2\s+appliance\s+\S+\s+\S+\s+running\b/m);

    const yaml = ok(await admin('stack', 'show', 'shop', '-o', 'yaml')).stdout;
    assert.equal(yaml, shown.yaml);
    assert.doesNotMatch(yaml, /written by hand/, 'show prints the canonical document');
    const saved = file('shown.yaml', yaml);
    const plan = ok(await admin('stack', 'plan', '-f', saved));
    assert.match(plan.stdout, /^no changes$/m);
    assert.match(plan.stdout, /^summary\s+0 to create, 0 to change, 0 to remove, 3 unchanged\s*$/m);
    const again = ok(await admin('stack', 'apply', '-f', saved));
    assert.match(again.stderr, /stack shop: no changes \(version 1\)/);
  });

  it('plans and applies a smaller count from stdin as a removal', async () => {
    const smaller = doc('shop', 1);
    const plan = ok(await cli(cp.adminToken ?? '', ['stack', 'plan', '-f', '-'], smaller));
    assert.match(plan.stdout, /^web\s+2\s+remove\s+appliance\b/m);
    const r = json<StackApplyResult>(await cli(cp.adminToken ?? '', ['stack', 'apply', '-f', '-', '--wait', '--timeout', '60', '--json'], smaller));
    assert.deepEqual(r.done.map((d) => [d.member, d.ordinal, d.action]), [['web', 2, 'remove']]);
    const gone = await admin('appliance', 'show', r.done[0]?.id as string);
    assert.equal(gone.code, 3, 'the removed appliance is gone');
  });

  it('says where a document is wrong, with its line, and exits 2', async () => {
    const bad = await admin('stack', 'plan', '-f', file('bad.yaml', doc('shop', 1).replace('size: s\n', 'size: s\n      colour: red\n')));
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^error: FY_STACK_INVALID: /m);
    assert.match(bad.stderr, /^ {2}spec\.appliances\[0\]\.colour \(line 10\): unknown field "colour"$/m);
    const missing = await admin('stack', 'plan', '-f', join(dir, 'no-such.yaml'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: CLI_USAGE: cannot read /m);
  });

  it('removes a stack by name', async () => {
    const rm = ok(await admin('stack', 'rm', 'shop', '--wait', '--timeout', '60'));
    assert.match(rm.stderr, /stack shop deleted; 2 instance\(s\) ended/);
    const shown = await admin('stack', 'show', 'shop');
    assert.equal(shown.code, 3, shown.stderr);
    assert.match(ok(await admin('stack', 'list')).stdout, /^NAME\s+VERSION\s+INSTANCES\s+OWNER\s+UPDATED\s*$/);
  });

  it("orders a cloud user's stack as requests, and removes it by its file", async () => {
    ok(await cli(cp.adminToken ?? '', ['user', 'create', 'erin', '--email', 'erin@example.test', '--password-stdin'], `${PASSWORD}\n`));
    ok(await admin('ccu', 'grant', 'erin', '500', '--note', 'welcome credits'));
    const login = ok(await cli('', ['login', '--name', 'erin', '--password-stdin'], `${PASSWORD}\n`));
    userToken = (/^export FLEETYARD_TOKEN=(\S+)\n$/.exec(login.stdout)?.[1] ?? '').replace(/^'|'$/g, '');
    assert.ok(userToken);

    const path = file('lab.yaml', doc('lab', 1, 2));
    const applied = ok(await user('stack', 'apply', '-f', path, '--wait', '--timeout', '60'));
    assert.equal(applied.stdout.split('\n').filter((l) => /\bcreate\s+request\b/.test(l)).length, 2);
    const shown = json<StackDetail>(await user('stack', 'show', 'lab', '--json'));
    assert.deepEqual(shown.instances.map((i) => [i.kind, i.object?.state]), [['request', 'active'], ['request', 'active']]);
    assert.match(ok(await user('stack', 'plan', '-f', file('lab-shown.yaml', ok(await user('stack', 'show', 'lab', '-o', 'yaml')).stdout))).stdout, /^no changes$/m);
    assert.match(ok(await user('stack', 'list')).stdout, /^lab\s+1\s+2\s/m);

    const rm = ok(await user('stack', 'rm', '-f', path, '--wait', '--timeout', '60', '--json'));
    const removed = JSON.parse(rm.stdout) as { removed: Array<{ kind: string; id: string }> };
    assert.equal(removed.removed.length, 2);
    for (const r of removed.removed) {
      assert.equal(r.kind, 'request');
      assert.equal(json<{ status: { state: string } }>(await user('request', 'show', r.id, '--json')).status.state, 'done');
    }
    assert.equal((await user('stack', 'show', 'lab')).code, 3);
    const both = await user('stack', 'rm', 'lab', '-f', path);
    assert.equal(both.code, 2, 'a name and a file at once is a usage error');
    assert.ok(readFileSync(path, 'utf8').includes('name: lab'));
  });
});
