import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { QemuDriver } from '../../src/drivers/qemu/qemu-driver.ts';
import { qemuPaths, tapName } from '../../src/drivers/qemu/paths.ts';
import { linkExists } from '../../src/network/bridge.ts';
import { makeVmFixture, type VmFixture } from '../support/vm-fixture.ts';

/**
 * A control plane that dies while a VM starts must find that VM again, never start a second one.
 * The driver runs in a child process (qemu-start-child.ts) that is killed with SIGKILL mid-start;
 * a fresh driver on the same state dir then ensures the VM running. Afterwards there is exactly
 * one QEMU for the appliance, as `pgrep -f` sees it, and it is the one found through its QMP
 * socket. QEMU daemonizes, so it outlives the killed process.
 */

let fx: VmFixture;

before(async () => {
  fx = await makeVmFixture('fy-qemu-recovery');
});

after(async () => {
  await fx?.cleanup();
});

/** Starts the child and kills it (SIGKILL) once `when` holds; resolves after it is gone. */
async function killWhileStarting(spec: RuntimeSpec, when: () => Promise<boolean>): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'qemu-start-child.ts'), fx.driverDir, JSON.stringify(spec)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    for (let i = 0; ; i++) {
      if (await when()) break;
      assert.ok(!out.includes('running'), `the VM came up before the child could be killed:\n${out}`);
      assert.ok(child.exitCode === null, `the child exited by itself:\n${out}`);
      assert.ok(i < 6000, `the moment to kill never came:\n${out}`);
      await sleep(5);
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

describe('qemu driver recovery', () => {
  it('adopts the VM a killed driver was starting: exactly one QEMU, found through its QMP socket', async () => {
    const spec = await fx.makeSpec(`rec-${randomBytes(5).toString('hex')}`);
    const id = spec.applianceId;
    // QEMU has daemonized (it wrote its pidfile) but the guest has not said it is up yet: the
    // child is waiting for the console.
    await killWhileStarting(spec, async () => existsSync(qemuPaths(fx.driverDir).pidFile(id)));
    // The launching `qemu-system-x86_64 -daemonize` parent may take a moment to leave.
    let pids = await fx.qemuPids(id);
    for (let i = 0; pids.length > 1 && i < 200; i++) pids = (await sleep(10), await fx.qemuPids(id));
    const [orphan, ...more] = pids;
    assert.ok(orphan !== undefined, 'QEMU outlives the process that started it');
    assert.deepEqual(more, []);

    const driver = new QemuDriver({ stateDir: fx.driverDir });
    const obs = await driver.ensure(spec, 'running');
    assert.equal(obs.state, 'running');
    assert.equal(obs.pid, orphan, 'the running QEMU was adopted, not replaced');
    assert.deepEqual(await fx.qemuPids(id), [orphan]);
    assert.equal((await driver.inspect(id)).pid, orphan);
    const again = await driver.ensure(spec, 'running');
    assert.equal(again.pid, orphan);
    assert.deepEqual(await fx.qemuPids(id), [orphan]);

    await driver.destroy(id);
    assert.deepEqual(await fx.leaks([id]), []);
  });

  it('ends with one QEMU when the driver is killed as early as the tap exists', async () => {
    const spec = await fx.makeSpec(`rec-${randomBytes(5).toString('hex')}`);
    const id = spec.applianceId;
    // QEMU may or may not have been launched yet: either way, one VM must result.
    await killWhileStarting(spec, async () => linkExists(tapName(id)));
    const driver = new QemuDriver({ stateDir: fx.driverDir });
    const obs = await driver.ensure(spec, 'running');
    assert.equal(obs.state, 'running');
    assert.deepEqual(await fx.qemuPids(id), [obs.pid]);
    await driver.destroy(id);
    assert.deepEqual(await fx.leaks([id]), []);
  });
});
