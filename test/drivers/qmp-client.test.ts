import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { QmpClient, QmpError, type QmpEvent } from '../../src/drivers/qemu/qmp-client.ts';

/**
 * The QMP client against a real QEMU with no machine (`-machine none`: QMP without a guest,
 * ready in milliseconds), and against a socket that never greets, for the timeout.
 */
const dir = mkdtempSync(join(tmpdir(), 'fy-qmp-'));
const socket = join(dir, 'qmp.sock');
let qemu: ChildProcess;
let silent: Server | undefined;

before(async () => {
  qemu = spawn('qemu-system-x86_64', ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${socket},server=on,wait=off`], {
    stdio: 'ignore',
  });
  for (let i = 0; !existsSync(socket); i++) {
    assert.ok(i < 1000 && qemu.exitCode === null, 'QEMU did not open its QMP socket');
    await sleep(10);
  }
});

after(async () => {
  if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
  silent?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('QMP client', () => {
  it('negotiates, runs commands and reports QEMU errors with their class', async () => {
    const c = await QmpClient.connect(socket);
    try {
      const [status, version] = await Promise.all([
        c.execute<{ status: string }>('query-status'),
        c.execute<{ qemu: { major: number } }>('query-version'),
      ]);
      assert.equal(typeof status.status, 'string');
      assert.ok(version.qemu.major >= 7);
      await assert.rejects(c.execute('no-such-command'), (e) => e instanceof QmpError && e.errorClass === 'CommandNotFound');
    } finally {
      c.close();
    }
  });

  it('delivers events and closes when QEMU quits', async () => {
    const c = await QmpClient.connect(socket);
    const events: QmpEvent[] = [];
    c.on('event', (e: QmpEvent) => events.push(e));
    const closed = new Promise<void>((resolve) => c.on('close', () => resolve()));
    const shutdown = c.nextEvent('SHUTDOWN', 5_000);
    await c.execute('quit');
    const ev = await shutdown;
    assert.equal(ev?.event, 'SHUTDOWN');
    assert.equal(ev?.data.guest, false);
    assert.ok(!Number.isNaN(Date.parse(ev?.at ?? '')));
    await closed;
    await assert.rejects(c.execute('query-status'), /connection closed/);
    assert.ok(events.some((e) => e.event === 'SHUTDOWN'));
  });

  it('gives up on a socket that never greets, saying so', async () => {
    const path = join(dir, 'silent.sock');
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent?.listen(path, resolve));
    await assert.rejects(QmpClient.connect(path, 200), (e) => e instanceof QmpError && /no greeting within 200 ms/.test(e.message));
  });

  it('fails clearly when nothing listens', async () => {
    await assert.rejects(QmpClient.connect(join(dir, 'absent.sock'), 500), (e) => e instanceof QmpError && /ENOENT/.test(e.message));
  });
});
