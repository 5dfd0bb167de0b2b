import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { ensureTap, removeTap } from '../../src/drivers/qemu/tap.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { ensureBridge } from '../../src/network/bridge.ts';
import { ipv6ToBigInt } from '../../src/network/ipam6.ts';
import { deleteNetns, ensureNetns, hostVethName, netnsName } from '../../src/network/netns.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, portFilterLeaks, type TestNetwork } from '../support/host-leaks.ts';
import {
  arp,
  BROADCAST,
  buildL2Tool,
  ETH_ARP,
  ETH_IPV4,
  ETH_IPV6,
  ethernet,
  ipv4Udp,
  ipv6Udp,
  linkLocalOf,
  newToken,
  sendFrame,
  sniff,
  vlanTagged,
  type Where,
} from '../support/l2-tool.ts';

/**
 * What an appliance's bridge port lets through, shown with the real namespace and veth code
 * (src/network/netns.ts) on a bridge of its own, without a container: the "appliances" here are
 * namespaces in which the test is root, with every privilege over their NIC, as a VM's guest
 * kernel has. So this is the bridge's own guarantee, whatever runs behind the port. Frames are
 * forged and counted with test/support/l2-tool.c; every "not delivered" is paired with a frame
 * that differs only in what the filter checks and is delivered, so a broken tool or path cannot
 * pass for a filter. Bridge, namespaces and filters go in `after`, pass or fail.
 */

interface Node {
  id: string;
  ns: string;
  veth: string;
  ip: string;
  mac: string;
}

let net: TestNetwork;
let tool: string;
let a: Node;
let s: Node;
let bridgeMac: string;
const made: string[] = [];

async function makeNode(n: number): Promise<Node> {
  const id = `pf-${randomBytes(5).toString('hex')}`;
  made.push(id);
  const ip = net.address(n);
  await ensureNetns({ applianceId: id, bridge: net.bridge, address: ip, prefixLength: net.prefixLength });
  const ns = netnsName(id);
  const mac = (await exec('ip', ['netns', 'exec', ns, 'cat', '/sys/class/net/eth0/address'])).stdout.trim();
  return { id, ns, veth: hostVethName(id), ip, mac };
}

before(async () => {
  net = await makeTestNetwork();
  tool = await buildL2Tool();
  await ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength });
  a = await makeNode(1);
  s = await makeNode(2);
  bridgeMac = (await readFile(`/sys/class/net/${net.bridge}/address`, 'utf8')).trim();
});

after(async () => {
  for (const id of made) await deleteNetns(id).catch(() => undefined);
  await net?.cleanup();
});

/** How many copies of a frame carrying a fresh token `to` receives when `from` sends it 3 times. */
async function delivered(from: Where & { iface: string }, to: Where & { iface: string }, frame: (token: Buffer) => Buffer): Promise<number> {
  const token = newToken();
  const sniffer = sniff(tool, to, to.iface, token, 700);
  await sniffer.ready;
  await sendFrame(tool, from, from.iface, frame(token));
  return sniffer.seen;
}

const fromS = () => ({ netns: s.ns, iface: 'eth0' });
const atA = () => ({ netns: a.ns, iface: 'eth0' });

describe('an appliance bridge port', () => {
  it('lets the appliance send as itself', async () => {
    const n = await delivered(fromS(), atA(), (t) => ethernet(a.mac, s.mac, ETH_IPV4, ipv4Udp(s.ip, a.ip, 9, t)));
    assert.equal(n, 3);
  });

  it('drops IPv4 from any other source address', async () => {
    for (const spoofed of [net.gateway, net.address(3)]) {
      const n = await delivered(fromS(), atA(), (t) => ethernet(a.mac, s.mac, ETH_IPV4, ipv4Udp(spoofed, a.ip, 9, t)));
      assert.equal(n, 0, `source ${spoofed}`);
    }
  });

  it('drops frames from any other source MAC', async () => {
    const n = await delivered(fromS(), atA(), (t) => ethernet(a.mac, '02:de:ad:be:ef:01', ETH_IPV4, ipv4Udp(s.ip, a.ip, 9, t)));
    assert.equal(n, 0);
  });

  it("cannot take over a neighbour's MAC: what is sent to it still reaches the neighbour, not the spoofer", async () => {
    // A victim of its own, so a bridge that did learn the theft cannot disturb the other cases.
    const v = await makeNode(6);
    const token = newToken();
    const atV = sniff(tool, { netns: v.ns }, 'eth0', token, 900);
    const atS = sniff(tool, { netns: s.ns }, 'eth0', token, 900);
    await Promise.all([atV.ready, atS.ready]);
    // "I am the victim's MAC": frames from it, so a learning bridge would move it to S's port.
    await sendFrame(tool, { netns: s.ns }, 'eth0', ethernet(BROADCAST, v.mac, ETH_ARP, arp(2, { mac: v.mac, ip: v.ip }, { mac: BROADCAST, ip: v.ip })));
    await sendFrame(tool, {}, net.bridge, ethernet(v.mac, bridgeMac, ETH_IPV4, ipv4Udp(net.gateway, v.ip, 9, token)));
    assert.deepEqual({ victim: await atV.seen, spoofer: await atS.seen }, { victim: 3, spoofer: 0 });
  });

  it('drops ARP that claims another address or another MAC, so the host keeps the truth', async () => {
    const neigh = async (ip: string) => (await exec('ip', ['neigh', 'show', 'to', ip, 'dev', net.bridge])).stdout;
    await exec('ip', ['neigh', 'flush', 'to', a.ip, 'dev', net.bridge]);
    await exec('ip', ['neigh', 'flush', 'to', s.ip, 'dev', net.bridge]);
    const gateway = { mac: '00:00:00:00:00:00', ip: net.gateway };
    // "Who has the gateway? Tell <the neighbour's address> at <my MAC>": the classic poisoning.
    await sendFrame(tool, { netns: s.ns }, 'eth0', ethernet(BROADCAST, s.mac, ETH_ARP, arp(1, { mac: s.mac, ip: a.ip }, gateway)));
    // Its own address, but a sender MAC that is not its own.
    await sendFrame(tool, { netns: s.ns }, 'eth0', ethernet(BROADCAST, s.mac, ETH_ARP, arp(1, { mac: '02:de:ad:be:ef:02', ip: s.ip }, gateway)));
    // The honest one, sent last: once the host has it, it has seen the two before.
    await sendFrame(tool, { netns: s.ns }, 'eth0', ethernet(BROADCAST, s.mac, ETH_ARP, arp(1, { mac: s.mac, ip: s.ip }, gateway)));
    await eventually(async () => (await neigh(s.ip)).includes(s.mac), 'the host learning the honest ARP');
    assert.doesNotMatch(await neigh(a.ip), new RegExp(s.mac));
    assert.doesNotMatch(await neigh(s.ip), /02:de:ad:be:ef:02/);
  });

  it('passes only IPv6 from a port on an IPv6-only network: no IPv4 and no ARP, whatever address they claim', async () => {
    const id = `pf-${randomBytes(5).toString('hex')}`;
    made.push(id);
    const own6 = 'fd00:51::5';
    await ensureNetns({ applianceId: id, bridge: net.bridge, address: null, prefixLength: null, ipv6: { address: own6, prefixLength: 64 } });
    const ns = netnsName(id);
    const mac = (await exec('ip', ['netns', 'exec', ns, 'cat', '/sys/class/net/eth0/address'])).stdout.trim();
    const from = { netns: ns, iface: 'eth0' };
    const claimed = net.address(7);
    await exec('ip', ['neigh', 'flush', 'to', claimed, 'dev', net.bridge]);
    // "Who has the gateway? Tell <an address of the IPv4 range> at <my MAC>".
    await sendFrame(tool, from, 'eth0', ethernet(BROADCAST, mac, ETH_ARP, arp(1, { mac, ip: claimed }, { mac: '00:00:00:00:00:00', ip: net.gateway })));
    assert.equal(await delivered(from, atA(), (t) => ethernet(a.mac, mac, ETH_IPV6, ipv6Udp(Buffer.from(ipv6ToBigInt(own6).toString(16).padStart(32, '0'), 'hex'), linkLocalOf(a.mac), 9, t))), 3, 'its own IPv6 passes');
    assert.equal(await delivered(from, atA(), (t) => ethernet(a.mac, mac, ETH_IPV4, ipv4Udp(claimed, a.ip, 9, t))), 0, 'no IPv4 at all');
    assert.doesNotMatch((await exec('ip', ['neigh', 'show', 'to', claimed, 'dev', net.bridge])).stdout, new RegExp(mac), 'its ARP never reached the host');
  });

  it('drops all IPv6 from a port that has no IPv6 address', async () => {
    const n = await delivered(fromS(), atA(), (t) => ethernet(a.mac, s.mac, ETH_IPV6, ipv6Udp(linkLocalOf(s.mac), linkLocalOf(a.mac), 9, t)));
    assert.equal(n, 0);
  });

  it('drops VLAN-tagged frames, whose inner header the checks would not see', async () => {
    const n = await delivered(fromS(), atA(), (t) => vlanTagged(a.mac, s.mac, 7, ETH_IPV4, ipv4Udp(s.ip, a.ip, 9, t)));
    assert.equal(n, 0);
  });

  it('hears no unknown unicast: frames for a MAC the bridge does not know are not copied to it', async () => {
    const host = { iface: net.bridge };
    const toS = { netns: s.ns, iface: 'eth0' };
    const unknown = await delivered(host, toS, (t) => ethernet('02:00:5e:00:53:99', bridgeMac, ETH_IPV4, ipv4Udp(net.gateway, net.address(9), 9, t)));
    assert.equal(unknown, 0);
    const own = await delivered(host, toS, (t) => ethernet(s.mac, bridgeMac, ETH_IPV4, ipv4Udp(net.gateway, s.ip, 9, t)));
    assert.equal(own, 3);
    const flags = (await exec('bridge', ['-d', 'link', 'show', 'dev', s.veth])).stdout;
    assert.match(flags, /learning off/);
    assert.match(flags, /\bflood off/);
    assert.match((await exec('bridge', ['fdb', 'show', 'dev', s.veth])).stdout, new RegExp(`^${s.mac} master ${net.bridge} static`, 'm'));
  });

  it('has one filter per port, made once however often it is ensured, and removed with the port', async () => {
    const c = await makeNode(4);
    await ensureNetns({ applianceId: c.id, bridge: net.bridge, address: c.ip, prefixLength: net.prefixLength });
    const chain = (await exec('nft', ['list', 'chain', 'bridge', 'fleetyard', `port-${c.veth}`])).stdout;
    assert.equal(chain.match(/ drop| accept/g)?.length, 4, chain);
    assert.match(chain, new RegExp(`comment "appliance ${c.id}"`));
    assert.match(chain, new RegExp(`ether saddr != ${c.mac} `));
    const map = (await exec('nft', ['list', 'map', 'bridge', 'fleetyard', 'ports'])).stdout;
    assert.equal(map.split(`"${c.veth}"`).length - 1, 1);
    assert.equal((await exec('nft', ['list', 'chain', 'bridge', 'fleetyard', 'prerouting'])).stdout.match(/vmap @ports/g)?.length, 1);
    assert.notDeepEqual(await portFilterLeaks(c.veth), []);
    await deleteNetns(c.id);
    assert.deepEqual(await portFilterLeaks(c.veth), []);
    await deleteNetns(c.id); // absent is fine
  });

  it("guards a VM's tap the same way, with the guest NIC's MAC", async () => {
    const tap = `fyq${randomBytes(5).toString('hex')}`;
    const mac = '52:54:00:12:34:56';
    const ip = net.address(5);
    after(() => removeTap(tap).catch(() => undefined));
    await ensureTap({ tap, applianceId: 'vm-under-test', bridge: net.bridge, address: ip, mac });
    const chain = (await exec('nft', ['list', 'chain', 'bridge', 'fleetyard', `port-${tap}`])).stdout;
    assert.match(chain, new RegExp(`ether saddr != ${mac} `));
    assert.match(chain, new RegExp(`arp saddr ether ${mac} arp saddr ip ${ip} accept`));
    assert.match((await exec('bridge', ['-d', 'link', 'show', 'dev', tap])).stdout, /learning off/);
    assert.match((await exec('bridge', ['fdb', 'show', 'dev', tap])).stdout, new RegExp(`^${mac} master ${net.bridge} static`, 'm'));
    await removeTap(tap);
    assert.deepEqual(await portFilterLeaks(tap), []);
    assert.equal((await execAllowFail('ip', ['link', 'show', tap])).exitCode, 1);
  });

  it("lets a VM's tap send IPv6 from the guest's own address and its MAC's link-local one, where the network has IPv6", async () => {
    const tap = `fyq${randomBytes(5).toString('hex')}`;
    const mac = '52:54:00:12:34:57';
    after(() => removeTap(tap).catch(() => undefined));
    await ensureTap({ tap, applianceId: 'vm6-under-test', bridge: net.bridge, address: net.address(6), ipv6: 'fd00:52::8', mac });
    const chain = (await exec('nft', ['list', 'chain', 'bridge', 'fleetyard', `port-${tap}`])).stdout;
    assert.match(chain, /ip6 saddr \{ fd00:52::8, fe80::5054:ff:fe12:3457 \} accept/);
    await removeTap(tap);
    assert.deepEqual(await portFilterLeaks(tap), []);
  });
});
