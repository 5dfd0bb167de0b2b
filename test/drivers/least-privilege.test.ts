import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { chmod, copyFile, readFile, readlink, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import { ContainerDriver } from '../../src/drivers/container/container-driver.ts';
import { probeUserNamespaces } from '../../src/drivers/container/user-namespaces.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { exec, execAllowFail, type ExecResult } from '../../src/host/exec.ts';
import { hostVethName, netnsName } from '../../src/network/netns.ts';
import { removePortFilter } from '../../src/network/port-filter.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';
import { eventually } from '../support/eventually.ts';
import { findLeaks, makeTestNetwork, portFilterLeaks, type TestNetwork } from '../support/host-leaks.ts';
import { arp, BROADCAST, buildL2Tool, ETH_ARP, ethernet, newToken, sendFrame, sniff } from '../support/l2-tool.ts';

/**
 * An appliance on a shared bridge, tried as a hostile tenant would, on the real container driver
 * with the base image: two appliances on one test bridge, a neighbour and a spoofer. Commands run
 * inside the spoofer with `runc exec`, i.e. with exactly the appliance's own capabilities,
 * no_new_privileges and seccomp filter; test/support/l2-tool.c is copied in as the frame-forging
 * program a tenant could bring. What the host and the neighbour receive is watched from outside
 * (HTTP from the bridge address, the host's neighbour table, l2-tool sniffers in the namespaces).
 * State dir, bridge, appliances, clones and port filters go in `after`, pass or fail.
 */

const stateDir = mkdtempSync(join(tmpdir(), 'fy-leastpriv-'));
const storage = new LocalStorage(stateDir);
const driver = new ContainerDriver({ stateDir });
const runcRoot = join(stateDir, 'runc');
const ids: string[] = [];
let net: TestNetwork;
let tool: string;
let nextHost = 1;

interface Appliance {
  spec: RuntimeSpec;
  pid: number;
  ip: string;
  mac: string;
  ns: string;
}

before(async () => {
  net = await makeTestNetwork();
  tool = await buildL2Tool();
  const tarball = join(stateDir, 'base.tar');
  await exec('bash', [join(import.meta.dirname, '../../scripts/build-base-image.sh'), tarball]);
  await storage.importImage('base', tarball);
});

after(async () => {
  for (const id of ids) await driver.destroy(id).catch(() => undefined);
  for (const id of ids) await storage.removeClone(id).catch(() => undefined);
  await net?.cleanup();
  await rm(stateDir, { recursive: true, force: true });
});

async function start(): Promise<Appliance> {
  const applianceId = `lp-${randomBytes(5).toString('hex')}`;
  ids.push(applianceId);
  const { clonePath } = await storage.ensureClone(applianceId);
  const n = nextHost++;
  const spec: RuntimeSpec = {
    applianceId,
    name: applianceId,
    hostname: `host-${n}`,
    command: ['/bin/sh', '/etc/fleetyard/init'],
    requirements: { ...DEFAULT_REQUIREMENTS, memoryMiB: 48, pids: 64 },
    root: { format: 'rootfs-dir', imagePath: storage.imagePath('base'), clonePath },
    network: { name: 'test', bridge: net.bridge, address: net.address(n), prefixLength: net.prefixLength, gateway: net.gateway },
    env: {},
  };
  const obs = await driver.ensure(spec, 'running');
  assert.ok(obs.pid);
  const ns = netnsName(applianceId);
  const mac = (await exec('ip', ['netns', 'exec', ns, 'cat', '/sys/class/net/eth0/address'])).stdout.trim();
  // Serving: the web page says which appliance answered.
  await eventually(async () => (await httpGet(spec.network.address as string).catch(() => '')).includes(spec.hostname), `${spec.hostname} serving`);
  return { spec, pid: obs.pid, ip: spec.network.address as string, mac, ns };
}

/** Runs a command inside the appliance with its own privileges. */
function inside(app: Appliance, ...args: string[]): Promise<ExecResult> {
  return execAllowFail('runc', ['--root', runcRoot, 'exec', app.spec.applianceId, ...args]);
}

/** Puts the frame tool into the appliance's root, as a tenant could over SSH. */
async function bringTool(app: Appliance): Promise<string> {
  const dest = `/proc/${app.pid}/root/tmp/l2-tool`;
  await copyFile(tool, dest);
  await chmod(dest, 0o755);
  return '/tmp/l2-tool';
}

const neighbourEntry = async (ip: string) => (await exec('ip', ['neigh', 'show', 'to', ip, 'dev', net.bridge])).stdout;

/** Where a UDP datagram from the host to `to` lands: at `to`, at `spoofer`, in copies seen. */
async function hostDatagramTo(to: Appliance, spoofer: Appliance): Promise<{ neighbour: number; spoofer: number }> {
  const token = newToken();
  const atTo = sniff(tool, { netns: to.ns }, 'eth0', token, 900);
  const atSpoofer = sniff(tool, { netns: spoofer.ns }, 'eth0', token, 900);
  await Promise.all([atTo.ready, atSpoofer.ready]);
  const sock = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => sock.bind({ address: net.gateway, port: 0 }, () => resolve()).once('error', reject));
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve, reject) => sock.send(token, 9, to.ip, (e) => (e ? reject(e) : resolve())));
  } finally {
    sock.close();
  }
  return { neighbour: await atTo.seen, spoofer: await atSpoofer.seen };
}

/**
 * What a spoofing attempt achieved, all of it gathered before anything is asserted, so a failure
 * shows the whole picture: whether the host's neighbour entry for the neighbour's address points
 * at the spoofer's own MAC (ARP poisoning; a stolen MAC shows in the rest), who answers
 * the neighbour's web page (three times), and where a datagram for it lands.
 */
async function outcome(forging: string, neighbour: Appliance, spoofer: Appliance) {
  const entry = await neighbourEntry(neighbour.ip);
  const pages: string[] = [];
  for (let i = 0; i < 3; i++) {
    const body = await httpGet(neighbour.ip).catch((e: Error) => e.message);
    pages.push(/<h1>([^<]*)<\/h1>/.exec(body)?.[1] ?? body);
  }
  return {
    forging,
    neighbourEntry: entry.includes(spoofer.mac) ? "the spoofer's MAC" : "not the spoofer's MAC",
    pageAnsweredBy: pages,
    datagram: await hostDatagramTo(neighbour, spoofer),
  };
}

const NEIGHBOUR_UNHARMED = (n: Appliance) => ({
  neighbourEntry: "not the spoofer's MAC",
  pageAnsweredBy: [n.spec.hostname, n.spec.hostname, n.spec.hostname],
  datagram: { neighbour: 3, spoofer: 0 },
});

describe('an appliance on a shared bridge', () => {
  it('runs with no_new_privileges, a seccomp filter and neither raw sockets nor admin capabilities', async () => {
    const app = await start();
    const viaExec = (await inside(app, 'cat', '/proc/self/status')).stdout;
    for (const status of [await readFile(`/proc/${app.pid}/status`, 'utf8'), viaExec]) {
      assert.match(status, /^NoNewPrivs:\s+1$/m);
      assert.match(status, /^Seccomp:\s+2$/m); // 2: filter mode
      const bounding = BigInt(`0x${/^CapBnd:\s+([0-9a-f]+)$/m.exec(status)?.[1]}`);
      for (const [cap, bit] of [['CAP_NET_ADMIN', 12n], ['CAP_NET_RAW', 13n], ['CAP_SYS_ADMIN', 21n], ['CAP_MKNOD', 27n]] as const) {
        assert.equal((bounding >> bit) & 1n, 0n, `${cap} is in the bounding set`);
      }
      assert.equal((bounding >> 10n) & 1n, 1n, 'CAP_NET_BIND_SERVICE (its web server) is kept');
    }
  });

  it('cannot open a raw or packet socket', async () => {
    const app = await start();
    // The tools are there: what follows is a refusal, not a missing program.
    const applets = (await inside(app, 'busybox', '--list')).stdout.split('\n');
    assert.ok(applets.includes('arping') && applets.includes('ping'));
    const arping = await inside(app, 'arping', '-c', '1', '-w', '1', '-I', 'eth0', net.gateway);
    assert.notEqual(arping.exitCode, 0);
    assert.match(arping.stdout + arping.stderr, /socket: Operation not permitted/);
    const ping = await inside(app, 'ping', '-c', '1', '-W', '1', net.gateway);
    assert.notEqual(ping.exitCode, 0);
    assert.match(ping.stdout + ping.stderr, /permission denied/);
    // Nor with a program of its own: the kernel refuses the socket, whoever asks.
    const own = await bringTool(app);
    assert.equal((await inside(app, own)).exitCode, 2, 'the tool runs in the appliance (usage)');
    const forged = await inside(app, own, 'send', 'eth0', ethernet(BROADCAST, app.mac, 0x0800, Buffer.alloc(46)).toString('hex'));
    assert.deepEqual({ exit: forged.exitCode, out: forged.stdout.trim() }, { exit: 3, out: 'socket: Operation not permitted' });
  });

  it("cannot pose as its neighbour from inside, so the neighbour's traffic still reaches the neighbour only", async () => {
    const neighbour = await start();
    const spoofer = await start();
    // No CAP_NET_ADMIN: it cannot take the neighbour's address or MAC the ordinary way.
    for (const args of [
      ['ip', 'addr', 'add', `${neighbour.ip}/${net.prefixLength}`, 'dev', 'eth0'],
      ['ip', 'link', 'set', 'eth0', 'address', neighbour.mac],
    ]) {
      const r = await inside(spoofer, ...args);
      assert.notEqual(r.exitCode, 0);
      assert.match(r.stderr, /Operation not permitted/, args.join(' '));
    }
    // ARP poisoning with a forging program: "who has the gateway? tell <neighbour> at <me>".
    const own = await bringTool(spoofer);
    const poison = ethernet(BROADCAST, spoofer.mac, ETH_ARP, arp(1, { mac: spoofer.mac, ip: neighbour.ip }, { mac: '00:00:00:00:00:00', ip: net.gateway }));
    const forged = await inside(spoofer, own, 'send', 'eth0', poison.toString('hex'), '5');
    assert.deepEqual(await outcome(forged.stdout.trim(), neighbour, spoofer), {
      forging: 'socket: Operation not permitted',
      ...NEIGHBOUR_UNHARMED(neighbour),
    });
  });

  it('cannot pose as its neighbour even with full control of its NIC (as a VM guest has)', async () => {
    const neighbour = await start();
    const spoofer = await start();
    // Done from the host in the spoofer's namespace, with every privilege: take the neighbour's
    // address and MAC, and announce them.
    await exec('ip', ['-n', spoofer.ns, 'addr', 'add', `${neighbour.ip}/${net.prefixLength}`, 'dev', 'eth0']);
    await exec('ip', ['-n', spoofer.ns, 'link', 'set', 'eth0', 'address', neighbour.mac]);
    await exec('ip', ['neigh', 'flush', 'to', neighbour.ip, 'dev', net.bridge]);
    const arping = (...args: string[]) => execAllowFail('ip', ['netns', 'exec', spoofer.ns, 'busybox', 'arping', '-I', 'eth0', '-s', neighbour.ip, ...args]);
    await arping('-U', '-c', '1', neighbour.ip); // gratuitous: "the neighbour's address is at my MAC"
    await arping('-c', '1', '-w', '1', net.gateway); // a request from the neighbour's address
    // And with the spoofer's own MAC still on its frames, the classic poisoning.
    const poison = ethernet(BROADCAST, spoofer.mac, ETH_ARP, arp(2, { mac: spoofer.mac, ip: neighbour.ip }, { mac: BROADCAST, ip: neighbour.ip }));
    await sendFrame(tool, { netns: spoofer.ns }, 'eth0', poison);
    // The spoofer's web server would answer for the neighbour's address with its own name.
    assert.deepEqual(await outcome('sent', neighbour, spoofer), { forging: 'sent', ...NEIGHBOUR_UNHARMED(neighbour) });
  });

  it('is refused what the seccomp profile forbids: a user namespace, which needs no capability', async () => {
    // The host's kernel allows user namespaces: a refusal inside comes from the filter.
    assert.equal((await execAllowFail('unshare', ['--user', 'true'])).exitCode, 0);
    const app = await start();
    for (const args of [['unshare', '-U', 'true'], ['unshare', '-r', 'id']]) {
      const r = await inside(app, ...args);
      assert.notEqual(r.exitCode, 0, args.join(' '));
      assert.match(r.stderr, /unshare\(0x10000000\): Operation not permitted/);
    }
    const mount = await inside(app, 'mount', '-t', 'tmpfs', 'tmpfs', '/mnt');
    assert.notEqual(mount.exitCode, 0);
  });

  it('shares the host user namespace, and the probe says precisely why', async () => {
    const app = await start();
    assert.equal(await readlink(`/proc/${app.pid}/ns/user`), await readlink('/proc/self/ns/user'));
    const probe = await probeUserNamespaces();
    assert.equal(probe.usable, false);
    const runc = /runc version (\d+\.\d+\.\d+)/.exec((await exec('runc', ['--version'])).stdout)?.[1];
    assert.ok(runc && probe.reason.includes(`runc ${runc}`), probe.reason);
    assert.ok(probe.kernel.maxUserNamespaces > 0);
  });

  it('has its port guarded by a restarted agent when it has run since before ports were guarded', async () => {
    const app = await start();
    const veth = hostVethName(app.spec.applianceId);
    // The state an earlier version left: no filter, a learning and flooded port, a random MAC.
    const oldMac = '02:5e:00:00:00:01';
    await removePortFilter(veth);
    await exec('ip', ['link', 'set', 'dev', veth, 'type', 'bridge_slave', 'learning', 'on', 'flood', 'on']);
    await exec('bridge', ['fdb', 'del', app.mac, 'dev', veth, 'master', 'static']);
    await exec('ip', ['-n', app.ns, 'link', 'set', 'eth0', 'address', oldMac]);
    assert.deepEqual(await portFilterLeaks(veth), []);
    const restarted = new ContainerDriver({ stateDir });
    const obs = await restarted.ensure(app.spec, 'running');
    assert.equal(obs.pid, app.pid, 'the appliance kept running');
    const chain = (await exec('nft', ['list', 'chain', 'bridge', 'fleetyard', `port-${veth}`])).stdout;
    assert.match(chain, new RegExp(`ether saddr != ${oldMac} `));
    assert.match(chain, new RegExp(`arp saddr ether ${oldMac} arp saddr ip ${app.ip} accept`));
    assert.match((await exec('bridge', ['-d', 'link', 'show', 'dev', veth])).stdout, /learning off/);
    assert.match((await exec('bridge', ['fdb', 'show', 'dev', veth])).stdout, new RegExp(`^${oldMac} master ${net.bridge} static`, 'm'));
    await exec('ip', ['neigh', 'flush', 'to', app.ip, 'dev', net.bridge]);
    assert.match(await httpGet(app.ip), new RegExp(`<h1>${app.spec.hostname}</h1>`));
  });

  it('leaves no port filter (nor anything else) behind', async () => {
    const app = await start();
    await driver.destroy(app.spec.applianceId);
    await storage.removeClone(app.spec.applianceId);
    assert.deepEqual(await findLeaks([app.spec.applianceId], stateDir), []);
  });
});

function httpGet(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port: 80, path: '/', localAddress: net.gateway, timeout: 2000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}/ timed out`)));
    req.on('error', reject);
  });
}
