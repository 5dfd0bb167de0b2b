import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import { ContainerDriver } from '../../src/drivers/container/container-driver.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { exec } from '../../src/host/exec.ts';
import { ipv6ToBigInt, linkLocalOf as linkLocalAddress } from '../../src/network/ipam6.ts';
import { applianceMac, netnsName } from '../../src/network/netns.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { buildL2Tool, ETH_IPV6, ethernet, ipv6Udp, linkLocalOf, newToken, sendFrame, sniff } from '../support/l2-tool.ts';
import { randomUlaPrefix } from '../support/ula-prefix.ts';

/**
 * An appliance on a network with an IPv6 pool, as a real runc container: it has its IPv6
 * address, the bridge has the IPv6 gateway, the appliance reaches it, and its port lets through
 * IPv6 only from its own addresses and neighbour advertisements only for them. Frames are forged
 * inside the appliance's namespace with test/support/l2-tool.c and counted on the bridge (the
 * host's side), each refused one paired with an honest one that arrives. The prefix is a random
 * fd00::/8 /64 nothing on the host uses; bridge, container, clone and state go in `after`.
 */

const stateDir = mkdtempSync(join(tmpdir(), 'fy-container6-'));
const storage = new LocalStorage(stateDir);
const id = `c6-${randomBytes(5).toString('hex')}`;
let net: TestNetwork;
let prefix: string;
let tool: string;
let driver: ContainerDriver;
let spec: RuntimeSpec;
let pid: number;

async function freeUlaPrefix(): Promise<string> {
  const used = (await exec('ip', ['-o', '-6', 'addr'])).stdout;
  for (let attempt = 0; attempt < 100; attempt++) {
    const p = randomUlaPrefix();
    if (!used.includes(p)) return p;
  }
  throw new Error('no free /64 in fd00::/8');
}

const bytes6 = (a: string) => Buffer.from(ipv6ToBigInt(a).toString(16).padStart(32, '0'), 'hex');

/** An unsolicited neighbour advertisement for `target`, the token after it (the counters look for it anywhere). */
function neighbourAdvert(src: Buffer, target: Buffer, token: Buffer): Buffer {
  const icmp = Buffer.concat([Buffer.from([136, 0, 0, 0, 0x20, 0, 0, 0]), target, token]);
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(icmp.length, 4);
  ip[6] = 58;
  ip[7] = 255;
  src.copy(ip, 8);
  bytes6('ff02::1').copy(ip, 24);
  return Buffer.concat([ip, icmp]);
}

before(async () => {
  net = await makeTestNetwork();
  prefix = await freeUlaPrefix();
  tool = await buildL2Tool();
  const tarball = join(stateDir, 'base.tar');
  await exec('bash', [join(import.meta.dirname, '../../scripts/build-base-image.sh'), tarball]);
  await storage.importImage('base', tarball);
  const { clonePath } = await storage.ensureClone(id);
  driver = new ContainerDriver({ stateDir });
  spec = {
    applianceId: id,
    name: id,
    hostname: 'six',
    command: ['/bin/sh', '/etc/fleetyard/init'],
    requirements: { ...DEFAULT_REQUIREMENTS, memoryMiB: 48, pids: 64 },
    root: { format: 'rootfs-dir', imagePath: storage.imagePath('base'), clonePath },
    network: {
      name: 'test',
      bridge: net.bridge,
      address: net.address(1),
      prefixLength: net.prefixLength,
      gateway: net.gateway,
      ipv6: { address: `${prefix}:2`, prefixLength: 64, gateway: `${prefix}:1` },
    },
    env: {},
  };
  const obs = await driver.ensure(spec, 'running');
  assert.ok(obs.pid);
  pid = obs.pid;
});

after(async () => {
  await driver?.destroy(id).catch(() => undefined);
  await storage.removeClone(id).catch(() => undefined);
  await net?.cleanup();
  await rm(stateDir, { recursive: true, force: true });
});

/** How many of 3 frames carrying a fresh token, sent from inside the appliance, reach the host's bridge. */
async function reachingBridge(frame: (token: Buffer) => Buffer): Promise<number> {
  const token = newToken();
  const sniffer = sniff(tool, {}, net.bridge, token, 700);
  await sniffer.ready;
  await sendFrame(tool, { netns: netnsName(id) }, 'eth0', frame(token));
  return sniffer.seen;
}

describe('an appliance on a network with an IPv6 pool', () => {
  it('has its IPv6 address inside, and the bridge has the gateway', async () => {
    const inside = (await exec('nsenter', ['-t', String(pid), '-n', 'ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout;
    assert.match(inside, new RegExp(`inet6 ${prefix}:2/64 scope global`));
    assert.ok(inside.includes(`inet6 ${linkLocalAddress(applianceMac(id))}/64 scope link`), `the EUI-64 link-local address in ${inside}`);
    const bridge = (await exec('ip', ['-6', '-o', 'addr', 'show', 'dev', net.bridge])).stdout;
    assert.match(bridge, new RegExp(`inet6 ${prefix}:1/64 scope global`));
  });

  it('pings the IPv6 gateway from its own namespace', async () => {
    const r = await exec('nsenter', ['-t', String(pid), '-n', 'ping', '-6', '-c', '1', '-W', '5', `${prefix}:1`]);
    assert.match(r.stdout, /1 (packets )?received/);
  });

  it('cannot send from a forged IPv6 source, nor advertise an address that is not its own', async () => {
    const mac = applianceMac(id);
    const bridgeMac = (await readFile(`/sys/class/net/${net.bridge}/address`, 'utf8')).trim();
    const udp = (src: string) => (t: Buffer) => ethernet(bridgeMac, mac, ETH_IPV6, ipv6Udp(bytes6(src), bytes6(`${prefix}:1`), 9, t));
    assert.equal(await reachingBridge(udp(`${prefix}:2`)), 3, 'from its own address');
    assert.equal(await reachingBridge(udp(`${prefix}:99`)), 0, 'from another address of the pool');
    assert.equal(await reachingBridge(udp('fd00::5')), 0, 'from outside the pool');
    const ll = linkLocalOf(mac);
    const na = (target: Buffer) => (t: Buffer) => ethernet('33:33:00:00:00:01', mac, ETH_IPV6, neighbourAdvert(ll, target, t));
    assert.equal(await reachingBridge(na(bytes6(`${prefix}:2`))), 3, 'an advertisement of its own address');
    assert.equal(await reachingBridge(na(bytes6(`${prefix}:1`))), 0, "an advertisement of the gateway's address");
  });

  it('leaves nothing behind once destroyed', async () => {
    await driver.destroy(id);
    await storage.removeClone(id);
    assert.deepEqual(await findLeaks([id], stateDir), []);
  });
});
