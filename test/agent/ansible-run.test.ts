import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { interpret, OUTPUT_LIMIT, runPlaybook } from '../../src/agent/ansible-run.ts';

/**
 * Reading the json stdout callback's report of one run (the shape ansible-core 2.14 prints; the
 * end-to-end tests run the real ansible-playbook): counts, the failing task's message, bounded output.
 */
const report = (tasks: Array<[string, Record<string, unknown>]>, stats: Record<string, number>) =>
  JSON.stringify({ plays: [{ play: { name: 'all' }, tasks: tasks.map(([name, r]) => ({ task: { name }, hosts: { web: r } })) }], stats: { web: stats } });

describe('interpret', () => {
  it('counts a clean run as applied', () => {
    const r = interpret('web', { exitCode: 0, stopped: null, stderr: '', stdout: report([['greet', { changed: true, rc: 0, stdout: 'hi\n' }]], { ok: 1, changed: 1, failures: 0, unreachable: 0 }) });
    assert.deepEqual([r.state, r.ok, r.changed, r.failed], ['applied', 1, 1, 0]);
    assert.equal(r.output, 'changed: [web] greet: hi');
  });

  it("takes the failing task's msg, with what a failed command printed", () => {
    const stdout = report(
      [
        ['look', { changed: true, rc: 0, stdout: '/dev/sda 10G' }],
        ['check the web root', { failed: true, changed: true, rc: 1, msg: 'non-zero return code', stderr: 'test: /srv: no such directory\n', stdout: '' }],
      ],
      { ok: 1, changed: 1, failures: 1, unreachable: 0 },
    );
    const r = interpret('web', { exitCode: 2, stopped: null, stderr: '', stdout });
    assert.equal(r.state, 'failed');
    assert.equal(r.message, 'task "check the web root" failed: non-zero return code (test: /srv: no such directory)');
    assert.deepEqual([r.ok, r.failed], [1, 1]);
  });

  it('says when the appliance could not be reached, and when there is no report at all', () => {
    const unreachable = interpret('web', { exitCode: 4, stopped: null, stderr: '', stdout: report([['greet', { unreachable: true, msg: 'Failed to connect to the host via ssh: Host key verification failed.' }]], { ok: 0, changed: 0, failures: 0, unreachable: 1 }) });
    assert.equal(unreachable.state, 'failed');
    assert.match(unreachable.message, /could not reach the appliance: Failed to connect .*Host key verification failed/);
    const broken = interpret('web', { exitCode: 4, stopped: null, stderr: 'ERROR! the playbook could not be read\n', stdout: '' });
    assert.deepEqual([broken.state, broken.message], ['failed', 'ansible-playbook exited with 4: ERROR! the playbook could not be read']);
    const stopped = interpret('web', { exitCode: null, stopped: 'it ran longer than 600 s', stderr: '', stdout: '' });
    assert.equal(stopped.message, 'ansible-playbook was stopped: it ran longer than 600 s');
  });

  it('keeps the end of a long output, within the limit', () => {
    const tasks: Array<[string, Record<string, unknown>]> = Array.from({ length: 500 }, (_, i) => [`task ${i}`, { changed: false, stdout: 'x'.repeat(100) }]);
    const r = interpret('web', { exitCode: 0, stopped: null, stderr: '', stdout: report(tasks, { ok: 500, changed: 0, failures: 0, unreachable: 0 }) });
    assert.ok(r.output.length <= OUTPUT_LIMIT);
    assert.match(r.output, /task 499/);
  });

  it('says so when ansible-playbook cannot be started, leaving no directory behind', async () => {
    const runDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('fy-ansible-'));
    const before = runDirs();
    const r = await runPlaybook({ name: 'web', address: '169.254.0.2', hostKey: 'ssh-ed25519 AAAA', privateKey: 'x' }, '- hosts: all\n', 1_000, '/nonexistent/ansible-playbook');
    assert.equal(r.state, 'failed');
    assert.match(r.message, /could not be started on this host: .*ENOENT/);
    assert.deepEqual(runDirs().filter((d) => !before.includes(d)), []);
  });
});
