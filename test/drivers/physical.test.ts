import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { verify } from 'unixcrypt';
import type { DiscoveredMachine } from '../../src/boot/discovery.ts';
import { PUBLIC_FILES, startFileServer } from '../../src/boot/file-server.ts';
import { isFleetyardError } from '../../src/domain/errors.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { PhysicalDriver } from '../../src/drivers/physical/physical-driver.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { eventually } from '../support/eventually.ts';
import { makeMetalFixture, type MetalFixture } from '../support/physical/metal-fixture.ts';
import type { PxeLab } from '../support/physical/pxe-lab.ts';
import { ipmitool, type SimServer } from '../support/physical/sim-bmc.ts';

/**
 * The physical driver against simulated bare metal made of real parts: OpenIPMI's ipmi_sim as
 * each server's BMC (driven with the real ipmitool), real dnsmasq and the boot service's HTTP
 * file server in a network namespace this test makes, and diskless QEMU machines (TCG) on taps
 * in that namespace that PXE-boot through their iPXE ROMs.
 *
 * One appliance, with a user's login, is PXE-booted once; the login is then used over SSH, the
 * root tarball it booted is checked for the password (it holds only its hash), and what the boot
 * service served is checked to be gone once the appliance is up: its script is not served to
 * another address, its export is removed and its root URL answers 404 even to the machine. The
 * driver's contract (as in ./conformance.ts) is checked on that boot where that is honest: a
 * repeated ensure, inspect, list, stop twice, destroy twice. The server is then reset behind the
 * driver's back: it finds nothing to boot, and the next ensure boots it with a fresh export. A
 * second server with a MAC nobody
 * registered is powered on to be discovered. The whole driver conformance suite, which needs
 * five more boots, is physical-conformance.test.ts.
 *
 * Timing on the 2-core reference machine (TCG), from the file server's log: power-on → iPXE
 * fetches its script ≈ 2.7 s (≈ 13 s more without router advertisements, ≈ 2 s more without
 * iPXE's no-pxedhcp option), → kernel and initrd over HTTP ≈ 0.3 s, → the initramfs fetches the
 * root tarball ≈ 2.7 s later, → port 80 answers: `ensure(running)` takes 6–7.5 s including the
 * export, ≈ 9 s with the login (the appliance makes its SSH host key first), up to 14 s while
 * other tests load the machine. The discovery check takes ≈ 5 s, the reboot check ≈ 20 s (iPXE
 * asks again every 10 s), the whole file ≈ 40 s. Nothing here asserts a duration; the boot
 * deadline only turns a hang into a failure.
 *
 * Everything (namespace, taps, BMCs, QEMU, dnsmasq, file server, files) goes in `after`, pass
 * or fail, and the last test checks that nothing is left.
 */

let fx: MetalFixture;
let lab: PxeLab;
let server: SimServer;
let stranger: SimServer;
let driver: PhysicalDriver;
const discovered: DiscoveredMachine[] = [];
let stopDiscovery: (() => void) | undefined;

const ready = (async () => {
  fx = await makeMetalFixture('fy-physical');
  ({ lab, driver } = fx);
  server = await fx.addServer('pm1', '52:54:00:f1:00:01');
  stranger = await fx.addServer('pm2', '52:54:00:f1:00:02');
})();
// Awaited by every suite's `before`; this only keeps an early failure from being "unhandled".
ready.catch(() => undefined);

/** Where the test keeps the root tarball of the one boot (see captureRootTarball). */
const rootTarball = () => join(fx.stateDir, 'booted-root.tar.gz');
const specFor = async (applianceId: string, machine: SimServer, n: number): Promise<RuntimeSpec> => (await ready, fx.specFor(applianceId, machine, n));
const bootDir = () => fx.bootDir();

/**
 * Keeps a hard link to the root tarball the driver exports for `applianceId` as soon as it is
 * there (it is written under another name and renamed, so what is linked is whole): the machine
 * takes it once and then it is gone. Looks until it finds it, `signal` aborts, or 120 s passed.
 */
async function captureRootTarball(applianceId: string, to: string, signal: AbortSignal): Promise<boolean> {
  const dir = join(bootDir(), 'www', 'exports', applianceId);
  for (const end = Date.now() + 120_000; Date.now() < end && !signal.aborted; ) {
    for (const token of await readdir(dir).catch(() => [] as string[])) {
      if (await link(join(dir, token, 'root.tar.gz'), to).then(() => true, () => false)) return true;
    }
    await sleep(20);
  }
  return false;
}

/** The page the appliance serves on port 80, fetched from inside the lab network. */
async function fetchFromLab(url: string, timeoutSeconds = 3): Promise<string | null> {
  const curl = ['curl', '-s', '--noproxy', '*', '-m', String(timeoutSeconds), url];
  const r = await execAllowFail('ip', ['netns', 'exec', lab.netns, ...curl]);
  return r.exitCode === 0 ? r.stdout : null;
}

after(async () => {
  stopDiscovery?.();
  // Whatever happened above: no process of this test (BMCs, QEMU, daemons) and no namespace.
  const left = (await fx?.cleanup()) ?? [];
  assert.deepEqual(left, [], 'processes left behind');
  if (lab) assert.ok(!(await exec('ip', ['netns', 'list'])).stdout.includes(lab.netns), 'namespace left behind');
});

describe('boot file server', () => {
  it('serves files under its root and nothing else', async () => {
    await ready;
    const root = join(fx.stateDir, 'www-test');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'sub', 'a.txt'), 'inside');
    await writeFile(join(fx.stateDir, 'secret.txt'), 'outside');
    await symlink(join(fx.stateDir, 'secret.txt'), join(root, 'escape'));
    const srv = await startFileServer({ root, host: '127.0.0.1', port: 0, access: PUBLIC_FILES });
    try {
      const { port } = srv.address() as { port: number };
      const get = async (path: string, method = 'GET') => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
        return { status: res.status, body: await res.text() };
      };
      assert.deepEqual(await get('/sub/a.txt'), { status: 200, body: 'inside' });
      for (const path of ['/escape', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/sub', '/missing']) {
        const r = await get(path);
        assert.equal(r.status, 404, path);
        assert.ok(!r.body.includes('outside'), path);
      }
      assert.equal((await get('/sub/a.txt', 'PUT')).status, 405);
    } finally {
      await new Promise((resolve) => srv.close(resolve));
    }
  });
});

describe('physical driver on simulated bare metal', () => {
  const id = 'metal-appliance-1';
  let spec: RuntimeSpec;
  let firstStart: string | null = null;
  let qemuPid: number | null = null;

  const password = `metal-${randomBytes(6).toString('hex')}`;

  before(async () => {
    await ready;
    // The one boot also carries a login, so the seed's way into a network-booted root is proven.
    spec = { ...(await specFor(id, server, 1)), login: { user: 'alice', sshPublicKey: null, password } };
    const probe = await driver.probe();
    assert.equal(probe.available, true, `driver unavailable: ${probe.reason}`);
  });

  it('reports an appliance it never saw as absent, and stopping it is fine', async () => {
    assert.equal((await driver.inspect('metal-never-seen')).state, 'absent');
    const obs = await driver.ensure(await specFor('metal-never-started', server, 9), 'stopped');
    assert.equal(obs.state, 'stopped');
    assert.equal((await ipmitool(server.bmc, 'chassis', 'power', 'status')).stdout.trim(), 'Chassis Power is off');
  });

  it('discovers a server that network-boots with a MAC nobody registered', async () => {
    stopDiscovery = await driver.onDiscovered((m) => discovered.push(m));
    const on = await ipmitool(stranger.bmc, 'chassis', 'power', 'on');
    assert.equal(on.exitCode, 0, on.stderr);
    try {
      await eventually(() => discovered.some((m) => m.mac === stranger.mac), 'the unknown server to be discovered', 60_000);
    } finally {
      await ipmitool(stranger.bmc, 'chassis', 'power', 'off');
    }
    const m = discovered.find((d) => d.mac === stranger.mac);
    assert.equal(m?.network, lab.network.name);
    const last = Number(m?.ip.split('.')[3]);
    assert.ok(last >= 200 && last <= 220, `address ${m?.ip} is not from the discovery range`);
    assert.equal(await stranger.qemuPid(), null);
  });

  it('powers the server on through IPMI; it PXE-boots the appliance, which answers at its address', async (t) => {
    const t0 = Date.now();
    const capture = new AbortController();
    const captured = captureRootTarball(id, rootTarball(), capture.signal);
    const obs = await driver.ensure(spec, 'running').finally(() => capture.abort());
    t.diagnostic(`power-on to running: ${Date.now() - t0} ms`);
    assert.ok(await captured, 'the root tarball of the boot was seen');
    assert.equal(obs.state, 'running', obs.message ?? '');
    assert.equal(obs.pid, null);
    assert.ok(obs.startedAt);
    firstStart = obs.startedAt;
    assert.equal((await ipmitool(server.bmc, 'chassis', 'power', 'status')).stdout.trim(), 'Chassis Power is on');
    qemuPid = await server.qemuPid();
    assert.ok(qemuPid !== null, 'the simulated server runs');
    assert.match((await fetchFromLab(`http://${spec.network.address}/`)) ?? '', /<h1>metal-1<\/h1>/);
    // It booted what the boot service handed out, over the network.
    // It booted what the boot service handed out, over the network, from its reserved address.
    const served = await readFile(join(bootDir(), 'file-server.log'), 'utf8');
    const from = (spec.network.address as string).replaceAll('.', '\\.');
    for (const file of ['/boot.ipxe', '/machines/52-54-00-f1-00-01.ipxe', '/vmlinuz', '/initrd', '/root.tar.gz']) {
      assert.match(served, new RegExp(` ${from} GET \\S*${file.replaceAll('.', '\\.')} 200`), file);
    }
    assert.match(await server.serialLog(), /fleetyard-login alice ready[\s\S]*fleetyard-appliance metal-1 up/);
    assert.ok(!discovered.some((m) => m.mac === server.mac), 'a registered server is not reported as discovered');
  });

  it('the root tarball it booted holds the hash of the login password, never the password', async () => {
    const root = gunzipSync(await readFile(rootTarball()));
    assert.ok(!root.includes(password), 'the password is in the root tarball');
    const seed = (await exec('tar', ['-xzOf', rootTarball(), './etc/fleetyard/seed'])).stdout;
    const hash = /^login_password_hash='(\S+)'$/m.exec(seed)?.[1] ?? '';
    assert.ok(verify(password, hash), `the seed carries the password's hash: ${seed}`);
  });

  it('the login works over SSH, and the password is on no command line', async () => {
    // dbclient (dropbear's client) reads the password from DROPBEAR_PASSWORD; -y -y: no host key check.
    const r = await execAllowFail('ip', [
      'netns', 'exec', lab.netns, 'env', `DROPBEAR_PASSWORD=${password}`,
      'dbclient', '-y', '-y', `alice@${spec.network.address}`, 'id -un; cat /proc/cmdline',
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    const [user, cmdline] = r.stdout.split('\n');
    assert.equal(user, 'alice');
    assert.match(cmdline ?? '', /fy\.root=http:\/\/\S+\/root\.tar\.gz fy\.ip=\S+ fy\.hostname=metal-1/);
    assert.ok(!r.stdout.includes(password));
    const script = await readFile(join(bootDir(), 'www', 'machines', '52-54-00-f1-00-01.ipxe'), 'utf8');
    assert.ok(!script.includes(password) && !script.includes('fy.seed'));
  });

  it('once booted, nothing of the boot can be fetched: not by another address, not by the machine itself', async () => {
    const base = `http://${lab.network.serverAddress}:${lab.network.httpPort}`;
    const scriptUrl = `${base}/machines/52-54-00-f1-00-01.ipxe`;
    // Another address on the boot network (the namespace's own): the machine's script is not for it.
    const status = (url: string) =>
      execAllowFail('ip', ['netns', 'exec', lab.netns, 'curl', '-s', '--noproxy', '*', '-m', '3', '-o', '/dev/null', '-w', '%{http_code}', url]);
    assert.equal((await status(scriptUrl)).stdout, '404');
    assert.equal((await status(`${base}/boot.ipxe`)).stdout, '200', 'the generic first script stays public');
    // The export is gone, and so is its grant.
    assert.equal(existsSync(join(bootDir(), 'www', 'exports', id)), false, 'the export directory is removed');
    assert.equal(existsSync(join(bootDir(), 'grants', id)), false, 'the grant is removed');
    // The machine itself: its root URL answers 404, and its script now points at nothing.
    const fetchRoot = 'for u in $(tr " " "\\n" < /proc/cmdline | sed -n "s/^fy.root=//p"); do wget -q -O /dev/null "$u" && echo root-fetched || echo root-refused; done';
    const r = await execAllowFail('ip', [
      'netns', 'exec', lab.netns, 'env', `DROPBEAR_PASSWORD=${password}`,
      'dbclient', '-y', '-y', `alice@${spec.network.address}`, `${fetchRoot}; echo ---; wget -q -O - ${scriptUrl}`,
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    const [rootAnswer, script] = r.stdout.split('---\n');
    assert.equal(rootAnswer, 'root-refused\n');
    assert.match(script ?? '', /^# appliance metal-appliance-1 \(booted/m);
    assert.ok(!(script ?? '').includes('/exports/') && !(script ?? '').includes('kernel '), script);
  });

  it('keeps the running boot on a repeated ensure, and inspect and list see it', async () => {
    const again = await driver.ensure(spec, 'running');
    assert.equal(again.state, 'running');
    assert.equal(again.startedAt, firstStart);
    assert.equal(await server.qemuPid(), qemuPid, 'the server was not rebooted');
    const seen = await driver.inspect(id);
    assert.equal(seen.state, 'running');
    assert.equal(seen.startedAt, firstStart);
    assert.equal(seen.pid, null);
    assert.ok((await driver.list()).includes(id));
    assert.ok(!JSON.stringify(seen).includes(server.bmc.password));
  });

  it('a machine that reboots on its own finds nothing to boot; the next ensure boots it with a fresh export', async () => {
    const logFile = join(bootDir(), 'file-server.log');
    const logFrom = (await readFile(logFile)).length;
    const since = async () => (await readFile(logFile)).subarray(logFrom).toString('utf8');
    const scriptGets = (text: string) => text.split('\n').filter((l) => l.includes(`${spec.network.address} GET /machines/52-54-00-f1-00-01.ipxe 200`));
    const reset = await ipmitool(server.bmc, 'chassis', 'power', 'reset');
    assert.equal(reset.exitCode, 0, reset.stderr);
    // Its script points at nothing, so iPXE goes back to waiting and asks again (every 10 s).
    await eventually(async () => scriptGets(await since()).length >= 2, 'the rebooted machine to ask for its script twice', 60_000, 250);
    assert.ok(!(await since()).includes(' GET /exports/'), 'it fetched nothing of a boot');
    assert.equal(await fetchFromLab(`http://${spec.network.address}/`, 1), null, 'the appliance did not come up again');
    const again = await driver.ensure(spec, 'running');
    assert.equal(again.state, 'running', again.message ?? '');
    assert.notEqual(again.startedAt, firstStart);
    const roots = [...(await readFile(logFile, 'utf8')).matchAll(/ GET \/exports\/metal-appliance-1\/([0-9a-f]+)\/root\.tar\.gz 200/g)];
    assert.equal(roots.length, 2, 'two boots, one root each');
    assert.notEqual(roots[0]?.[1], roots[1]?.[1], 'the second boot had an export of its own');
    assert.equal(existsSync(join(bootDir(), 'www', 'exports', id)), false, 'and it is gone again');
  });

  it('stop powers the server off and removes its boot entry; a second stop is fine', async () => {
    const first = await driver.ensure(spec, 'stopped');
    assert.equal(first.state, 'stopped');
    assert.equal(first.pid, null);
    assert.equal(await server.qemuPid(), null, 'the QEMU process is gone');
    assert.equal((await ipmitool(server.bmc, 'chassis', 'power', 'status')).stdout.trim(), 'Chassis Power is off');
    assert.equal(existsSync(join(bootDir(), 'www', 'machines', '52-54-00-f1-00-01.ipxe')), false);
    assert.equal((await readFile(join(bootDir(), 'dhcp-hosts'), 'utf8')).includes(server.mac), false);
    assert.equal(existsSync(join(bootDir(), 'www', 'exports', id)), false);
    assert.equal((await driver.ensure(spec, 'stopped')).state, 'stopped');
    const seen = await driver.inspect(id);
    assert.ok(seen.state === 'stopped' || seen.state === 'absent', seen.state);
    assert.equal(await fetchFromLab(`http://${spec.network.address}/`, 1), null);
  });

  it('destroy twice is fine and list forgets the appliance', async () => {
    await driver.destroy(id);
    await driver.destroy(id);
    assert.equal((await driver.inspect(id)).state, 'absent');
    assert.ok(!(await driver.list()).includes(id));
  });

  it('fails with FY_DRIVER_FAILED, without the password, when the BMC refuses the credentials', async () => {
    const bad = await specFor('metal-bad-password', server, 2);
    const wrong = 'not-the-password';
    bad.machine = { ...bad.machine!, bmc: { ...bad.machine!.bmc, passwordSealed: fx.box.seal(wrong) } };
    await assert.rejects(driver.ensure(bad, 'running'), (e: unknown) => {
      assert.ok(isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED', String(e));
      assert.ok(!e.message.includes(wrong) && !JSON.stringify(e.details).includes(wrong));
      return true;
    });
    // The power status is asked before anything is made, so nothing was.
    assert.equal((await driver.inspect('metal-bad-password')).state, 'absent');
    assert.ok(!(await driver.list()).includes('metal-bad-password'));
  });

  it('a restarted agent adopts the running DHCP and HTTP daemons instead of starting new ones', async () => {
    const pids = () => Promise.all(['dnsmasq.pid', 'file-server.pid'].map((f) => readFile(join(bootDir(), f), 'utf8')));
    const before = await pids();
    const restarted = new PhysicalDriver({ stateDir: join(fx.stateDir, 'driver'), networks: [lab.network] });
    await restarted.startBootServices();
    assert.deepEqual(await pids(), before);
  });

  it('leaves nothing behind: no QEMU, no daemons, no boot entries, no exports', async () => {
    await driver.shutdown();
    for (const pidFile of ['dnsmasq.pid', 'file-server.pid']) assert.equal(existsSync(join(bootDir(), pidFile)), false, pidFile);
    const ps = (await exec('ps', ['-eo', 'args'])).stdout;
    assert.ok(!ps.includes(bootDir()), 'no process of the boot service is left');
    for (const s of [server, stranger]) assert.equal(await s.qemuPid(), null, `${s.name} is powered off`);
    assert.deepEqual(await driver.list(), []);
  });
});
