import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import { qemuName, qemuPaths, tapName } from '../../src/drivers/qemu/paths.ts';
import { isQemuFor, processArgs, readPid } from '../../src/drivers/qemu/qemu-process.ts';
import { QemuDriver } from '../../src/drivers/qemu/qemu-driver.ts';
import { qmpSession } from '../../src/drivers/qemu/vm-control.ts';
import { execAllowFail } from '../../src/host/exec.ts';
import { tail } from '../../src/host/files.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { findLeaks, findVmLeaks, makeTestNetwork, qemuPids, unixSocketListeners } from '../support/host-leaks.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';
import { testKernel } from '../support/test-kernel.ts';

/**
 * "Killing the server while a VM is starting and restarting it leaves exactly one QEMU process for
 * that appliance (found again through its QMP socket), not zero and not two."
 *
 * A real `fleetyard server` starts a qemu appliance; once that appliance's QEMU has daemonized
 * (its pidfile names a live QEMU of the appliance) but before the appliance is running, the
 * server gets SIGKILL. QEMU outlives it. The server is started again on the same data dir; when
 * the appliance runs, there is exactly one QEMU for it, the same process as before the kill
 * (adopted, not replaced), and it is the process serving the QMP socket the appliance's status
 * names. Deleted through the API, it leaves no QEMU, tap, VM dir or disk clone.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'fy-vm-crash-'));
const qemuDir = join(dataDir, 'run', 'qemu');
const paths = qemuPaths(qemuDir);
const storageRoot = join(dataDir, 'storage', 'local');
const net = await makeTestNetwork();
let server: ServerProcess | undefined;
let id: string | undefined;

const PHASE_WAIT_MS = 120_000;

after(async () => {
  try {
    if (server) {
      // SIGTERM first; a server that does not end within the bound is killed.
      await Promise.race([server.kill('SIGTERM'), sleep(20_000, undefined, { ref: false })]);
      await server.kill('SIGKILL');
    }
    if (id !== undefined) {
      // Whatever a failed run left: the VM (QEMU ended by its PID), its tap, its sockets.
      await new QemuDriver({ stateDir: qemuDir, accel: 'tcg' }).destroy(id).catch(() => undefined);
      for (const pid of await qemuPids(id)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await execAllowFail('ip', ['link', 'del', tapName(id)]);
    }
  } finally {
    await net.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** The PID the appliance's pidfile names, when that process is a live QEMU of the appliance. */
async function daemonizedQemu(applianceId: string): Promise<number | null> {
  const pid = await readPid(paths.pidFile(applianceId));
  if (pid === null) return null;
  const args = await processArgs(pid);
  return args && isQemuFor(args, qemuName(applianceId), paths.qmpSocket(applianceId)) ? pid : null;
}

/** What the host shows of the VM and the server, for a failure message. */
async function diagnose(applianceId: string): Promise<string> {
  const qmp = await qmpSession(paths.qmpSocket(applianceId), (c) => c.execute('query-status'), 2_000).then(
    (r) => JSON.stringify(r),
    (e: Error) => e.message,
  );
  return [
    `QEMU processes: ${JSON.stringify(await qemuPids(applianceId))}; pidfile: ${await readPid(paths.pidFile(applianceId))}; QMP: ${qmp}`,
    `console (tail):\n${await tail(paths.consoleLog(applianceId), 1500)}`,
    `server output (tail):\n${server?.output.slice(-3000) ?? ''}`,
  ].join('\n');
}

/** Waits (bounded) until exactly one QEMU of the appliance is left, and returns it. */
async function settledQemu(applianceId: string, what: string): Promise<number> {
  // A `qemu-system-x86_64 -daemonize` launcher may still be leaving next to the daemonized VM.
  let pids = await qemuPids(applianceId);
  for (const end = Date.now() + 10_000; pids.length > 1 && Date.now() < end; ) pids = (await sleep(20), await qemuPids(applianceId));
  assert.equal(pids.length, 1, `${what}: exactly one QEMU for the appliance, found ${JSON.stringify(pids)}`);
  return pids[0] as number;
}

test('a SIGKILLed server finds the VM it was starting again: one QEMU, the same, behind its QMP socket', async () => {
  const env = {
    FLEETYARD_DATA_DIR: dataDir,
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
  };
  server = new ServerProcess(env);
  await server.start();
  let api = new TestApi(server.url, server.token);
  const k = testKernel();
  const kernel = await api.uploadKernel('test', k);
  const image = await api.uploadImage('base', baseImageTar());
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', {
    name: 'vm-crash',
    imageId: image.id,
    kernelId: kernel.id,
    requirements: { virtualization: 'qemu', memoryMiB: 128 },
  });
  id = created.id;
  const applianceId = id;

  // The moment: QEMU has daemonized (its pidfile names it) and the appliance is not running yet.
  let launched: number | null = null;
  for (const end = Date.now() + PHASE_WAIT_MS; launched === null; ) {
    launched = await daemonizedQemu(applianceId);
    const a = await api.ok<Appliance>('GET', `/api/v1/appliances/${applianceId}`);
    assert.notEqual(a.status.phase, 'running', 'the VM came up before the server could be killed: the kill moment was missed');
    assert.notEqual(a.status.phase, 'failed', `the VM failed to start: ${a.status.message}\n${server.output.slice(-2000)}`);
    assert.ok(Date.now() < end, `no QEMU of the appliance appeared within ${PHASE_WAIT_MS / 1000} s (phase ${a.status.phase})`);
    if (launched === null) await sleep(20);
  }
  const boot = JSON.parse(readFileSync(paths.bootFile(applianceId), 'utf8')) as { startedAt: string };
  await server.kill('SIGKILL');
  const killedAt = new Date().toISOString();

  const orphan = await settledQemu(applianceId, 'after the kill');
  assert.equal(orphan, launched, 'the QEMU left after the kill is the one the pidfile named');

  server = new ServerProcess(env);
  await server.start();
  api = new TestApi(server.url, server.token);
  await api
    .waitAppliances([applianceId], (a) => a?.status.phase === 'running' || a?.status.phase === 'failed', 'the VM running after the restart', PHASE_WAIT_MS)
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await diagnose(applianceId)}`);
    });
  const running = await api.ok<Appliance>('GET', `/api/v1/appliances/${applianceId}`);
  assert.equal(running.status.phase, 'running', `${running.status.message}\n${server.output.slice(-2000)}`);

  // The kill did come while the VM was starting: the appliance was reported running once, and
  // only by the restarted server.
  const ran = await api.ok<{ items: FleetyardEvent[] }>(
    'GET',
    `/api/v1/events?objectId=${applianceId}&type=appliance.running&limit=100`,
  );
  assert.equal(ran.items.length, 1, 'the appliance was reported running exactly once');
  assert.ok(
    (ran.items[0] as FleetyardEvent).time > killedAt,
    'the VM was reported running before the kill: the kill moment was missed (it must come while the VM starts)',
  );

  // Exactly one QEMU for the appliance, and it is the one that was running before the kill.
  const [only, ...more] = await qemuPids(applianceId);
  assert.deepEqual(more, [], 'no second QEMU next to the first');
  assert.equal(only, orphan, 'the QEMU was adopted, not replaced');
  assert.equal(running.status.startedAt, boot.startedAt, 'the status describes the boot that began before the kill');

  // Found again through its QMP socket: the socket the status names is the appliance's, it
  // answers as this VM, and the process listening on it is that same QEMU.
  assert.equal(running.status.handle.qmp, paths.qmpSocket(applianceId));
  const qmp = await qmpSession(
    paths.qmpSocket(applianceId),
    async (c) => ({ name: await c.execute<{ name?: string }>('query-name'), status: await c.execute<{ status: string }>('query-status') }),
    5_000,
  );
  assert.equal(qmp.name.name, qemuName(applianceId));
  assert.equal(qmp.status.status, 'running');
  assert.deepEqual(await unixSocketListeners(paths.qmpSocket(applianceId)), [orphan], 'the QMP socket is served by the adopted QEMU');
  // And what the driver reports (pidfile, /proc and QMP) for it.
  const inspected = await new QemuDriver({ stateDir: qemuDir }).inspect(applianceId);
  assert.equal(inspected.state, 'running');
  assert.equal(inspected.pid, orphan);

  await api.ok('DELETE', `/api/v1/appliances/${applianceId}`);
  await api.waitAppliances([applianceId], (a) => a === undefined, 'the VM deleted', 60_000);
  assert.deepEqual(await findVmLeaks([applianceId], qemuDir, { storageRoot }), [], 'no QEMU, tap, VM dir, socket or disk clone left');
  assert.deepEqual(await findLeaks([applianceId], join(dataDir, 'run', 'container'), { storageRoot }), [], 'nothing else of it on the host');
});
