import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { isFleetyardError } from '../../src/domain/errors.ts';
import type { RuntimeLogin, RuntimeSpec } from '../../src/drivers/driver.ts';
import type { VmEvent } from '../../src/drivers/qemu/qemu-events.ts';
import { QemuDriver } from '../../src/drivers/qemu/qemu-driver.ts';
import { isAlive } from '../../src/host/processes.ts';
import { exec } from '../../src/host/exec.ts';
import { hostKeyFromConsole, sshRun } from '../support/ssh.ts';
import { makeVmFixture, type VmFixture } from '../support/vm-fixture.ts';
import { makeTestNetwork } from '../support/host-leaks.ts';
import { tapName } from '../../src/drivers/qemu/paths.ts';
import { runDriverConformance } from './conformance.ts';
import { consoleText } from '../support/console.ts';
import { cloudInitPlan } from '../../src/config/cloud-init-plan.ts';
import { noCloudSeedOf } from '../../src/drivers/nocloud-seed.ts';
import { macAddress, qemuPaths } from '../../src/drivers/qemu/paths.ts';
import { qmpSession } from '../../src/drivers/qemu/vm-control.ts';
import { cloudInitSchema } from '../support/cloud-init.ts';
import { aConfigGroup, aNetwork } from '../support/objects.ts';

/** What QMP's query-block says of a drive (the part this test reads). */
type QueryBlock = Array<{ device: string; inserted?: { file: string; ro: boolean } }>;

/**
 * The qemu driver against the real host: QEMU under TCG (KVM does not work on the test machines;
 * the driver finds that out itself), Debian's cloud kernel with the project's initramfs, disk
 * clones over one base disk, a tap on a fresh bridge on an unused 169.254.x.0/24. Every VM gets a
 * login (an SSH key), so the tests read and write its disk the way a user would, over SSH to its
 * bridge address only. Everything goes in `after`, pass or fail.
 */

const { utils } = ssh2;
const keys = utils.generateKeyPairSync('ed25519', { comment: 'vm@test' });
const LOGIN: RuntimeLogin = { user: 'fy', sshPublicKey: keys.public, password: null };

let fx: VmFixture;
const ready = makeVmFixture('fy-qemu').then((f) => (fx = f));
const drivers: QemuDriver[] = [];

function makeDriver(): QemuDriver {
  const d = new QemuDriver({ stateDir: fx.driverDir });
  drivers.push(d);
  return d;
}

after(async () => {
  await ready.catch(() => undefined);
  await fx?.cleanup();
});

/** Runs a shell command in the VM as the login user, over SSH, pinning the key it printed. */
async function inVm(driver: QemuDriver, spec: RuntimeSpec, command: string): Promise<{ code: number | null; stdout: string }> {
  const hostKey = hostKeyFromConsole((await consoleText(driver, spec.applianceId, 65_536)).replaceAll('\r', ''));
  const target = { address: spec.network.address as string, localAddress: spec.network.gateway as string, hostKey };
  return sshRun(target, { username: LOGIN.user, privateKey: keys.private }, command);
}

runDriverConformance(
  'qemu',
  async () => (await ready, makeDriver()),
  async (id) => (await ready, fx.makeSpec(id, LOGIN)),
  {
    persistence: {
      async write(_obs, spec, content) {
        const r = await inVm(drivers[0] as QemuDriver, spec, `echo ${content} > ~/marker && sync`);
        assert.equal(r.code, 0);
      },
      async read(_obs, spec) {
        const r = await inVm(drivers[0] as QemuDriver, spec, 'cat ~/marker');
        return r.code === 0 ? r.stdout.trim() : null;
      },
    },
  },
);

describe('qemu driver on the host', () => {
  let driver: QemuDriver;
  const ids: string[] = [];
  const newSpec = async (login: RuntimeLogin | null = LOGIN) => {
    const id = `vm-${randomBytes(5).toString('hex')}`;
    ids.push(id);
    return fx.makeSpec(id, login);
  };

  before(async () => {
    await ready;
    driver = makeDriver();
  });

  after(async () => {
    for (const id of ids) await driver?.destroy(id).catch(() => undefined);
  });

  it('boots the kernel, shows the initramfs marker and the appliance on the console', async () => {
    const spec = await newSpec(null);
    const obs = await driver.ensure(spec, 'running');
    assert.equal(obs.state, 'running');
    assert.equal((await driver.inspect(spec.applianceId)).state, 'running');
    const text = (await consoleText(driver, spec.applianceId, 65_536)).replaceAll('\r', '');
    const marker = text.indexOf('fleetyard-initramfs ok\n');
    assert.ok(marker >= 0, text);
    assert.ok(text.indexOf(`fleetyard-appliance ${spec.hostname} up\n`) > marker, text);
  });

  it('answers on its bridge address', async () => {
    const spec = await newSpec(null);
    await driver.ensure(spec, 'running');
    const body = await httpGet(spec.network.address as string, spec.network.gateway as string);
    assert.match(body, new RegExp(`<h1>${spec.hostname}</h1>`));
  });

  it("reports its usage: QEMU's CPU time and memory, its memory size from QMP, its tap's traffic as the guest's", async () => {
    const spec = await newSpec(null);
    await driver.ensure(spec, 'running');
    const before = await driver.metrics(spec.applianceId);
    assert.ok(before !== null && before.cpuSeconds !== null && before.cpuSeconds > 0, JSON.stringify(before));
    assert.ok(before.memoryBytes !== null && before.memoryBytes > 0);
    assert.equal(before.memoryLimitBytes, spec.requirements.memoryMiB * 1024 * 1024);
    await httpGet(spec.network.address as string, spec.network.gateway as string);
    const later = await driver.metrics(spec.applianceId);
    assert.ok(later !== null && (later.networkReceiveBytes as number) > (before.networkReceiveBytes as number), 'the request the guest received');
    assert.ok((later.networkTransmitBytes as number) > (before.networkTransmitBytes as number), 'the answer the guest sent');
    await driver.destroy(spec.applianceId);
    assert.equal(await driver.metrics(spec.applianceId), null);
  });

  it('puts a VM on a further network: a second guarded NIC with its address from the seed, the route staying on eth0', async () => {
    let second = await makeTestNetwork();
    // The fixture's bridge may not exist yet: keep the second network apart from it.
    for (let i = 0; i < 20 && second.cidr === fx.net.cidr; i++) second = await makeTestNetwork();
    after(() => second.cleanup());
    const base = await newSpec();
    const spec: RuntimeSpec = {
      ...base,
      moreNetworks: [{ name: 'second', bridge: second.bridge, address: second.address(1), prefixLength: second.prefixLength, gateway: second.gateway }],
    };
    await driver.ensure(spec, 'running');
    // Reached over the second bridge at its own address: the tap, the NIC and the seed all worked.
    assert.match(await httpGet(second.address(1), second.gateway), new RegExp(`<h1>${spec.hostname}</h1>`));
    const routes = (await inVm(driver, spec, 'ip -4 route show; ip -4 -o addr show dev eth1')).stdout;
    assert.match(routes, new RegExp(`^default via ${(spec.network.gateway as string).replaceAll('.', '\\.')} dev eth0`, 'm'));
    assert.doesNotMatch(routes, /via \S+ dev eth1/, 'no route via the further network');
    assert.match(routes, new RegExp(`eth1\\s+inet ${second.address(1).replaceAll('.', '\\.')}/24 `));
    const tap1 = tapName(spec.applianceId, 1);
    assert.match((await exec('nft', ['list', 'chain', 'bridge', 'fleetyard', `port-${tap1}`])).stdout, new RegExp(`ip saddr ${second.address(1).replaceAll('.', '\\.')} accept`), "eth1's tap is guarded with eth1's address");
    assert.match((await exec('ip', ['-d', 'link', 'show', 'dev', tap1])).stdout, new RegExp(`master ${second.bridge} `));
    await driver.destroy(spec.applianceId);
    assert.deepEqual(await fx.leaks([spec.applianceId]), [], 'both taps and both filters are gone');
  });

  it('gives the VM its NoCloud seed: a read-only CIDATA disk after the root, with the three files of its plan', async () => {
    const spec = await newSpec();
    const group = aConfigGroup('base', { cloudInit: { cloudConfig: { packages: ['curl'], runcmd: ['echo configured'] } } });
    const network = { ...aNetwork(spec.network.name), spec: { bridge: spec.network.bridge, cidr: `${spec.network.gateway}/${spec.network.prefixLength}`, gateway: spec.network.gateway, excluded: [] } };
    spec.cloudInit = cloudInitPlan(spec.hostname, [group], [{ network, address: spec.network.address, address6: null }]);
    await driver.ensure(spec, 'running');
    const paths = qemuPaths(fx.driverDir);
    const image = paths.cidataImage(spec.applianceId);
    // What QEMU has: the image, read-only, as the second virtio disk.
    const blocks = await qmpSession(paths.qmpSocket(spec.applianceId), (c) => c.execute<QueryBlock>('query-block'), 5_000);
    const disks = blocks.filter((b) => b.inserted);
    assert.equal(disks.length, 2, JSON.stringify(blocks));
    assert.equal(disks[1]?.inserted?.file, image);
    assert.equal(disks[1]?.inserted?.ro, true);
    // What the guest sees: a second disk, read-only.
    assert.equal((await inVm(driver, spec, 'cat /sys/block/vdb/ro')).stdout, '1\n');
    // What is on it: the seed of this spec, which cloud-init accepts.
    const userData = (await exec('mtype', ['-i', image, '::user-data'])).stdout;
    assert.equal(userData, noCloudSeedOf(spec, [macAddress(spec.applianceId)]).userData);
    assert.match(userData, /- curl/);
    const verdict = await cloudInitSchema(userData);
    assert.ok(verdict.valid, verdict.output);
    assert.match((await exec('mtype', ['-i', image, '::meta-data'])).stdout, new RegExp(`instance-id: ${spec.applianceId}`));
    assert.match((await exec('mtype', ['-i', image, '::network-config'])).stdout, new RegExp(`- ${(spec.network.address as string).replaceAll('.', '\\.')}/24`));
    await driver.ensure(spec, 'stopped');
    await assert.rejects(stat(image), { code: 'ENOENT' }, 'a stopped VM keeps no seed (it holds a password hash)');
  });

  it('stops gracefully: the guest powers itself off after the power button', async () => {
    const spec = await newSpec(null);
    const events: VmEvent[] = [];
    const off = driver.onRuntimeEvent((e) => e.applianceId === spec.applianceId && events.push(e));
    try {
      const running = await driver.ensure(spec, 'running');
      const stopped = await driver.ensure(spec, 'stopped');
      assert.equal(stopped.message, 'powered off by the guest');
      assert.equal(running.pid !== null && (await isAlive(running.pid)), false);
      const names = events.map((e) => e.event);
      assert.deepEqual(names, ['POWERDOWN', 'SHUTDOWN']);
      assert.deepEqual(events[1]?.data, { guest: true, reason: 'guest-shutdown' });
      const text = (await consoleText(driver, spec.applianceId, 65_536)).replaceAll('\r', '');
      assert.match(text, new RegExp(`fleetyard-appliance ${spec.hostname} down\nfleetyard-vm: power off\n`));
      assert.equal((await driver.inspect(spec.applianceId)).state, 'stopped');
      assert.deepEqual(await fx.leaks([spec.applianceId]).then((l) => l.filter((x) => !x.includes(': VM dir '))), []);
    } finally {
      off();
    }
  });

  it('gives two clones of one base disk independent disks', async () => {
    const baseBefore = await stat(fx.disks.baseDiskPath('base'));
    const [a, b] = [await newSpec(), await newSpec()];
    await Promise.all([driver.ensure(a, 'running'), driver.ensure(b, 'running')]);
    const info = JSON.parse((await exec('qemu-img', ['info', '-U', '--output=json', a.root.clonePath])).stdout) as {
      'backing-filename'?: string;
    };
    assert.equal(info['backing-filename'], fx.disks.baseDiskPath('base'));
    assert.equal((await inVm(driver, a, 'echo only-in-a > ~/note && sync && cat ~/note')).stdout, 'only-in-a\n');
    assert.equal((await inVm(driver, b, 'test -e ~/note; echo $?')).stdout, '1\n');
    assert.equal((await inVm(driver, b, 'echo b > ~/other && sync; test -e ~/note; echo $?')).stdout, '1\n');
    assert.equal((await inVm(driver, a, 'test -e ~/other; echo $?')).stdout, '1\n');
    const baseAfter = await stat(fx.disks.baseDiskPath('base'));
    assert.equal(baseAfter.mtimeMs, baseBefore.mtimeMs, 'the base disk is never written');
  });

  it('fails a start whose guest powers off at once, with the console, leaving nothing running', async () => {
    const spec = await newSpec(null);
    const broken = { ...spec, kernel: { ...(spec.kernel as NonNullable<RuntimeSpec['kernel']>), cmdline: `${spec.kernel?.cmdline} fy.poweroff` } };
    await assert.rejects(driver.ensure(broken, 'running'), (e) => {
      assert.ok(isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED');
      assert.match(e.message, /QEMU exited/);
      assert.match(e.message, /fleetyard-initramfs ok/);
      return true;
    });
    assert.notEqual((await driver.inspect(spec.applianceId)).state, 'running');
    assert.deepEqual(await fx.leaks([spec.applianceId]).then((l) => l.filter((x) => !x.includes(': VM dir '))), []);
  });

  it('leaves nothing of any VM behind once they are destroyed', async () => {
    for (const id of ids) await driver.destroy(id);
    assert.deepEqual(await fx.leaks(ids), []);
    assert.deepEqual((await driver.list()).filter((id) => ids.includes(id)), []);
  });
});

function httpGet(host: string, localAddress: string): Promise<string> {
  if (!host.startsWith('169.254.')) throw new Error(`refusing to dial ${host}`);
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port: 80, path: '/', localAddress, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
