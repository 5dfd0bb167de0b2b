import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { exec, execAllowFail } from '../host/exec.ts';
import { assertLinkName, linkExists } from './bridge.ts';
import { ipv4ToInt } from './ipam.ts';
import { PORT_FILTER_TABLE } from './port-filter.ts';

/**
 * A network that spans hosts: on each host that carries it, its bridge has one more port, a
 * kernel VXLAN device (the **uplink**) with the network's VNI, sending from the host's underlay
 * address to UDP 4789. The device does not learn where MACs live (`nolearning`): broadcast and
 * unknown unicast go to every peer host through the all-zero FDB entries (head-end replication),
 * one per peer, kept equal to the peers the control plane names. The bridge learns which MACs
 * are behind the uplink like behind any port.
 *
 * The gateway: every host's bridge carries the network's gateway address, so that appliances
 * reach their own host. On a spanning network each host's bridge would then answer for the same
 * address; so the bridge gets the same MAC on every host (derived from the network's name) and
 * the uplink's filter drops every frame from or to that MAC, in both directions: a host's
 * gateway never hears, or is heard by, another host's appliances. Appliances on one host reach
 * those on another only at L2, within their own segment.
 *
 * The uplink's filter lives in the `bridge fleetyard` table of the port filters: an entry in
 * its `ports` map (by input interface) for frames arriving from other hosts, and an entry in the
 * `uplinks` map of its own `output` chain for frames the host itself sends out of the uplink.
 *
 * Everything is idempotent: a device with other parameters is made again, peers are added and
 * removed to match, the filter is remade in one nft transaction.
 */

export const VXLAN_PORT = 4789;
const T = `bridge ${PORT_FILTER_TABLE}`;

export interface VxlanUplink {
  /** The network's bridge, which must exist. */
  bridge: string;
  /** The network's name: the gateway MAC is derived from it, the same on every host. */
  network: string;
  vni: number;
  /** This host's underlay address (the VXLAN packets' source). */
  local: string;
  /** The underlay addresses of the other hosts that carry the network. */
  peers: string[];
  mtu: number;
}

/** `fyvx` + the VNI in 6 hex digits: the uplink device of a network. */
export function uplinkName(vni: number): string {
  if (!Number.isInteger(vni) || vni < 1 || vni > 0xffffff) throw new RangeError(`not a VNI: ${vni}`);
  return `fyvx${vni.toString(16).padStart(6, '0')}`;
}

/** The gateway's MAC on a spanning network: locally administered, unicast, the same on every host. */
export function gatewayMac(network: string): string {
  const h = createHash('sha1').update(`fleetyard gateway ${network}`).digest('hex');
  return ['02', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(':');
}

/** The nft script of the uplink's filter (pure, tested without nft). */
export function uplinkFilterScript(dev: string, mac: string): string {
  assertLinkName(dev);
  const chain = `uplink-${dev}`;
  return [
    `add table ${T}`,
    `add map ${T} ports { type ifname : verdict ; }`,
    `add chain ${T} prerouting { type filter hook prerouting priority filter ; policy accept ; }`,
    `add map ${T} uplinks { type ifname : verdict ; }`,
    `add chain ${T} output { type filter hook output priority filter ; policy accept ; }`,
    `flush chain ${T} output`,
    `add rule ${T} output oifname vmap @uplinks`,
    `add chain ${T} ${chain} { comment "the uplink of a network that spans hosts" ; }`,
    `flush chain ${T} ${chain}`,
    `add rule ${T} ${chain} ether saddr ${mac} counter drop`,
    `add rule ${T} ${chain} ether daddr ${mac} counter drop`,
    `add element ${T} ports { "${dev}" : jump ${chain} }`,
    `add element ${T} uplinks { "${dev}" : jump ${chain} }`,
  ].join('\n') + '\n';
}

/**
 * The `prerouting` base chain's lookup must also exist when no appliance port made it yet; the
 * port filters' own script re-adds it the same way, so whoever runs first makes it once.
 */
function preroutingLookup(): string {
  return [`flush chain ${T} prerouting`, `add rule ${T} prerouting iifname vmap @ports`].join('\n') + '\n';
}

/** The nft script that removes an uplink's filter, whether or not it exists. */
export function removeUplinkFilterScript(dev: string): string {
  assertLinkName(dev);
  const chain = `uplink-${dev}`;
  return [
    `add table ${T}`,
    `add map ${T} ports { type ifname : verdict ; }`,
    `add map ${T} uplinks { type ifname : verdict ; }`,
    `add chain ${T} ${chain}`,
    `add element ${T} ports { "${dev}" : jump ${chain} }`,
    `add element ${T} uplinks { "${dev}" : jump ${chain} }`,
    `delete element ${T} ports { "${dev}" }`,
    `delete element ${T} uplinks { "${dev}" }`,
    `flush chain ${T} ${chain}`,
    `delete chain ${T} ${chain}`,
  ].join('\n') + '\n';
}

interface VxlanInfo {
  id?: number;
  local?: string;
  port?: number;
  learning?: boolean;
}

async function readUplink(dev: string): Promise<{ info: VxlanInfo; master: string | undefined; mtu: number } | undefined> {
  if (!linkExists(dev)) return undefined;
  const r = await execAllowFail('ip', ['-d', '-j', 'link', 'show', 'dev', dev]);
  if (r.exitCode !== 0) return undefined;
  const [link] = JSON.parse(r.stdout) as Array<{ master?: string; mtu: number; linkinfo?: { info_kind?: string; info_data?: VxlanInfo } }>;
  if (link?.linkinfo?.info_kind !== 'vxlan') return { info: {}, master: link?.master, mtu: link?.mtu ?? 0 };
  return { info: link.linkinfo.info_data ?? {}, master: link.master, mtu: link.mtu };
}

/** The peers the uplink floods to now (its all-zero FDB entries). */
export async function uplinkPeers(dev: string): Promise<string[]> {
  const r = await exec('bridge', ['-j', 'fdb', 'show', 'dev', dev]);
  const entries = JSON.parse(r.stdout || '[]') as Array<{ mac: string; dst?: string }>;
  return entries.filter((e) => e.mac === '00:00:00:00:00:00' && e.dst !== undefined).map((e) => e.dst as string);
}

/**
 * Makes the network's uplink current on this host: the bridge's MAC and MTU, the VXLAN device
 * (made again if its VNI, local address or port differ), its filter before it joins the bridge,
 * and its flood list equal to `peers`.
 */
export async function ensureUplink(u: VxlanUplink): Promise<void> {
  assertLinkName(u.bridge);
  const dev = uplinkName(u.vni);
  ipv4ToInt(u.local);
  for (const p of u.peers) ipv4ToInt(p);
  const mac = gatewayMac(u.network);
  await exec('nft', ['-f', '-'], { input: uplinkFilterScript(dev, mac) + preroutingLookup() });
  const cur = await readUplink(dev);
  const fits = cur && cur.info.id === u.vni && cur.info.local === u.local && cur.info.port === VXLAN_PORT && cur.info.learning === false;
  const lines: string[] = [];
  if (cur && !fits) lines.push(`link del ${dev}`);
  lines.push(`link set dev ${u.bridge} address ${mac} mtu ${u.mtu}`);
  if (!fits) lines.push(`link add ${dev} mtu ${u.mtu} type vxlan id ${u.vni} local ${u.local} dstport ${VXLAN_PORT} nolearning`);
  lines.push(`link set dev ${dev} mtu ${u.mtu} master ${u.bridge}`, `link set dev ${dev} up`);
  await exec('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
  const have = new Set(await uplinkPeers(dev));
  const want = new Set(u.peers.filter((p) => p !== u.local));
  const fdb: string[] = [];
  for (const p of want) if (!have.has(p)) fdb.push(`fdb append 00:00:00:00:00:00 dev ${dev} dst ${p}`);
  for (const p of have) if (!want.has(p)) fdb.push(`fdb del 00:00:00:00:00:00 dev ${dev} dst ${p}`);
  if (fdb.length > 0) await exec('bridge', ['-batch', '-'], { input: fdb.join('\n') + '\n' });
}

/** Removes the uplink of `vni` and then its filter; absent is fine. */
export async function removeUplink(vni: number): Promise<void> {
  const dev = uplinkName(vni);
  if (linkExists(dev)) await exec('ip', ['link', 'del', dev]);
  await exec('nft', ['-f', '-'], { input: removeUplinkFilterScript(dev) });
}

/** The VNIs of the uplinks on this host (for the fabric's removal of networks no longer carried). */
export async function listUplinks(): Promise<number[]> {
  const names = await readdir('/sys/class/net').catch(() => [] as string[]);
  return names.filter((n) => /^fyvx[0-9a-f]{6}$/.test(n)).map((n) => parseInt(n.slice(4), 16));
}

/** The ports of a bridge other than `except` (what still uses it). */
export async function bridgePorts(bridge: string, except: string[] = []): Promise<string[]> {
  assertLinkName(bridge);
  const names = await readdir(`/sys/class/net/${bridge}/brif`).catch(() => [] as string[]);
  return names.filter((n) => !except.includes(n));
}
