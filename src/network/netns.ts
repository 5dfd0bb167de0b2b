import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { exec } from '../host/exec.ts';
import { assertLinkName, linkExists } from './bridge.ts';
import { ipv4ToInt } from './ipam.ts';
import { normaliseIpv6 } from './ipam6.ts';
import { attachPortLines, ensurePortFilter, pinPortMac, removePortFilter, removePortFilters } from './port-filter.ts';

/**
 * One network namespace per appliance, joined to each of its networks' bridges by a veth pair:
 * the host end is enslaved to the bridge, the other end lives in the namespace as `eth0` (the
 * first network) and `eth1`, `eth2`, … (its further networks, in order), each with the
 * appliance's address on that network (and on the first, its IPv6 address when the network has
 * an IPv6 pool). The only route added is inside the namespace: the
 * default route via the first network's gateway (the host, which forwards nothing), when the
 * caller gives that gateway. Nothing is routed on the host.
 *
 * Names (and the MAC of eth0) are derived from a hash of the appliance id so a retry finds what
 * an earlier attempt made, and so they fit the kernel's 15-byte interface name limit whatever the
 * id looks like. The host end is a guarded bridge port (port-filter.ts): it may send only from
 * the appliance's MAC and address, and hears only what is meant for it.
 */

const NETNS_DIR = '/var/run/netns';

function digest(applianceId: string): string {
  return createHash('sha1').update(applianceId).digest('hex');
}

/** `fy-` + 12 hex: the namespace name under /var/run/netns. */
export function netnsName(applianceId: string): string {
  return `fy-${digest(applianceId).slice(0, 12)}`;
}

/**
 * `fyv` + 10 hex: the host end of the appliance's veth pair on its first network; on its further
 * networks the same followed by the interface's index (`eth1` → …1).
 */
export function hostVethName(applianceId: string, index = 0): string {
  return `fyv${digest(applianceId).slice(0, 10)}${index === 0 ? '' : String(index)}`;
}

/** An appliance has at most this many interfaces (eth0 … eth7): what deletion looks for. */
export const MAX_INTERFACES = 8;

/**
 * The MAC of the appliance's eth0: 02 (locally administered, unicast) + 40 bits of the id's hash,
 * stable across restarts so the port filter and the neighbours' ARP caches stay right.
 */
export function applianceMac(applianceId: string, index = 0): string {
  // eth0 keeps the MAC it always had; each further interface hashes its index in.
  const h = (index === 0 ? digest(applianceId) : digest(`${applianceId}#${index}`)).slice(12, 22);
  return ['02', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(':');
}

export function netnsPath(applianceId: string): string {
  return `${NETNS_DIR}/${netnsName(applianceId)}`;
}

export interface NetnsSpec {
  applianceId: string;
  bridge: string;
  /** Its IPv4 address and prefix length; null on an IPv6-only network. */
  address: string | null;
  prefixLength: number | null;
  /**
   * Its IPv6 address, when its network has an IPv6 pool; with `gateway`, the default IPv6 route
   * inside the namespace goes through it.
   */
  ipv6?: { address: string; prefixLength: number; gateway?: string | undefined } | null;
  /** Both ends of the veth get it (a network that spans hosts: less than the underlay's). */
  mtu?: number | undefined;
  /** The first network's IPv4 gateway: the default route inside the namespace. Absent: no route. */
  gateway?: string | undefined;
  /** Further interfaces (eth1, eth2, … in order), each on its own bridge; no route via them. */
  more?: NetnsPort[];
}

/** One further interface of an appliance: its network's bridge and its addresses there. */
export interface NetnsPort {
  bridge: string;
  address: string;
  prefixLength: number;
  /** Its IPv6 address there, when that network has an IPv6 pool (never a route through it). */
  ipv6?: { address: string; prefixLength: number } | null;
  mtu?: number | undefined;
}

/**
 * Creates whatever of namespace, veth pairs, addressing and default route is missing. Four
 * processes for one network, two more for each further one: `nft` (each port's filter, first, so
 * nothing the appliance sends is ever unfiltered), one `ip -batch` in the host namespace, then
 * `bridge` (each port's MAC pinned) alongside one `ip -batch` inside the appliance's namespace.
 * Each peer is created directly inside the namespace as eth0, eth1, … (names are per namespace),
 * so there is no window in which a half-moved interface sits in the host namespace; its MAC is
 * set again inside, for a pair made before MACs were derived.
 */
export async function ensureNetns(spec: NetnsSpec): Promise<{ netns: string; hostVeth: string }> {
  assertLinkName(spec.bridge);
  const ns = netnsName(spec.applianceId);
  const veth = hostVethName(spec.applianceId);
  const mac = applianceMac(spec.applianceId);
  const more = furtherPorts(spec);
  await Promise.all([
    ensurePortFilter({ port: veth, applianceId: spec.applianceId, mac, ipv4: spec.address, ipv6: spec.ipv6?.address ?? null }),
    ...more.map((p) => ensurePortFilter({ port: p.veth, applianceId: spec.applianceId, mac: p.mac, ipv4: p.address, ipv6: p.ipv6?.address ?? null })),
  ]);
  const host: string[] = [];
  const nsExists = existsSync(`${NETNS_DIR}/${ns}`);
  let vethExists = linkExists(veth);
  const moreExists = more.map((p) => linkExists(p.veth));
  if (!nsExists) {
    // A host end without its namespace is the remains of a dying pair: replace it.
    if (vethExists) host.push(`link del ${veth}`);
    more.forEach((p, i) => {
      if (moreExists[i]) host.push(`link del ${p.veth}`);
    });
    vethExists = false;
    moreExists.fill(false);
    host.push(`netns add ${ns}`);
  }
  if (!vethExists) host.push(`link add ${veth} type veth peer name eth0 address ${mac} netns ${ns}`);
  if (spec.mtu !== undefined) host.push(`link set dev ${veth} mtu ${spec.mtu}`);
  host.push(...attachPortLines(veth, spec.bridge));
  // The address may have belonged to this appliance's previous veth (a restart) or to another
  // appliance: forget the old MAC now instead of sending to it until the entry goes stale.
  if (spec.address !== null) host.push(`neigh flush to ${spec.address} dev ${spec.bridge}`);
  if (spec.ipv6) host.push(`neigh flush to ${spec.ipv6.address} dev ${spec.bridge}`);
  more.forEach((p, i) => {
    if (!moreExists[i]) host.push(`link add ${p.veth} type veth peer name ${p.inside} address ${p.mac} netns ${ns}`);
    if (p.mtu !== undefined) host.push(`link set dev ${p.veth} mtu ${p.mtu}`);
    host.push(...attachPortLines(p.veth, p.bridge), `neigh flush to ${p.address} dev ${p.bridge}`);
    if (p.ipv6) host.push(`neigh flush to ${p.ipv6.address} dev ${p.bridge}`);
  });
  await exec('ip', ['-batch', '-'], { input: host.join('\n') + '\n' });
  const inside = [
    `link set eth0 address ${mac}`,
    ...(spec.mtu !== undefined ? [`link set eth0 mtu ${spec.mtu}`] : []),
    ...(spec.address !== null ? [`addr replace ${spec.address}/${spec.prefixLength} dev eth0`] : []),
    // The link-local address from the MAC by EUI-64 (the one the port filter lets through), and
    // no duplicate address detection: IPAM made the address this appliance's alone, and a
    // tentative address would not send for a second after every start.
    ...(spec.ipv6 ? ['link set eth0 addrgenmode eui64', `addr replace ${spec.ipv6.address}/${spec.ipv6.prefixLength} dev eth0 nodad`] : []),
    'link set eth0 up',
    'link set lo up',
    ...more.flatMap((p) => [
      `link set ${p.inside} address ${p.mac}`,
      ...(p.mtu !== undefined ? [`link set ${p.inside} mtu ${p.mtu}`] : []),
      `addr replace ${p.address}/${p.prefixLength} dev ${p.inside}`,
      ...(p.ipv6 ? [`link set ${p.inside} addrgenmode eui64`, `addr replace ${p.ipv6.address}/${p.ipv6.prefixLength} dev ${p.inside} nodad`] : []),
      `link set ${p.inside} up`,
    ]),
    // Only via the first network: the further ones are reached on-link, never routed through.
    ...(spec.gateway === undefined ? [] : [`route replace default via ${spec.gateway} dev eth0`]),
    ...(spec.ipv6?.gateway === undefined ? [] : [`route replace default via ${spec.ipv6.gateway} dev eth0`]),
  ];
  await Promise.all([
    pinPortMac(veth, mac),
    ...more.map((p) => pinPortMac(p.veth, p.mac)),
    exec('ip', ['-n', ns, '-batch', '-'], { input: inside.join('\n') + '\n' }),
  ]);
  return { netns: ns, hostVeth: veth };
}

/** The further interfaces of a spec with their derived names and MACs (eth1 first). */
function furtherPorts(spec: NetnsSpec): Array<NetnsPort & { veth: string; mac: string; inside: string }> {
  const more = spec.more ?? [];
  if (more.length >= MAX_INTERFACES) throw new RangeError(`an appliance has at most ${MAX_INTERFACES} interfaces`);
  if (spec.gateway !== undefined) ipv4ToInt(spec.gateway); // a dotted quad, nothing else, goes into the batch
  if (spec.address !== null) ipv4ToInt(spec.address);
  if (spec.address === null && !spec.ipv6) throw new RangeError('an appliance needs an IPv4 or an IPv6 address on its first network');
  if (spec.ipv6) {
    normaliseIpv6(spec.ipv6.address);
    if (spec.ipv6.gateway !== undefined) normaliseIpv6(spec.ipv6.gateway);
  }
  return more.map((p, i) => {
    assertLinkName(p.bridge);
    ipv4ToInt(p.address);
    if (!Number.isInteger(p.prefixLength) || p.prefixLength < 1 || p.prefixLength > 32) throw new RangeError(`not a prefix length: ${p.prefixLength}`);
    if (p.ipv6) {
      normaliseIpv6(p.ipv6.address);
      if (!Number.isInteger(p.ipv6.prefixLength) || p.ipv6.prefixLength < 1 || p.ipv6.prefixLength > 128) throw new RangeError(`not a prefix length: ${p.ipv6.prefixLength}`);
    }
    const index = i + 1;
    return { ...p, veth: hostVethName(spec.applianceId, index), mac: applianceMac(spec.applianceId, index), inside: `eth${index}` };
  });
}

/**
 * Guards the port of an appliance that was already running when this process met it: one
 * started before ports were guarded (by an earlier version) has a random MAC and no filter.
 * The MAC its eth0 actually has is read and the port guarded with it, without touching the
 * running appliance; for a port made by `ensureNetns` this changes nothing. Three processes.
 */
export async function guardRunningPort(spec: NetnsSpec): Promise<void> {
  const ns = netnsName(spec.applianceId);
  const veth = hostVethName(spec.applianceId);
  if (!linkExists(veth)) return;
  const links = JSON.parse((await exec('ip', ['-n', ns, '-j', 'link', 'show', 'dev', 'eth0'])).stdout) as { address?: string }[];
  const mac = links[0]?.address;
  if (mac === undefined) throw new Error(`the appliance's eth0 in ${ns} has no MAC`);
  await ensurePortFilter({ port: veth, applianceId: spec.applianceId, mac, ipv4: spec.address, ipv6: spec.ipv6?.address ?? null });
  await exec('ip', ['-batch', '-'], { input: attachPortLines(veth, spec.bridge).join('\n') + '\n' });
  await pinPortMac(veth, mac);
}

/**
 * Deletes the veth pairs (every interface the appliance may have), the namespace and then the
 * ports' filters; absent parts are skipped. The host ends are deleted explicitly because the
 * kernel tears a namespace down asynchronously: relying on `netns del` alone would leave the
 * veths visible for a moment and make a leak check flaky.
 */
export async function deleteNetns(applianceId: string): Promise<void> {
  const ns = netnsName(applianceId);
  const veth = hostVethName(applianceId);
  const more = Array.from({ length: MAX_INTERFACES - 1 }, (_, i) => hostVethName(applianceId, i + 1));
  const lines: string[] = [];
  if (linkExists(veth)) lines.push(`link del ${veth}`);
  for (const v of more) if (linkExists(v)) lines.push(`link del ${v}`);
  if (existsSync(`${NETNS_DIR}/${ns}`)) lines.push(`netns del ${ns}`);
  if (lines.length > 0) await exec('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
  // Only now that the ports are gone: a filter must outlive every frame its port could send.
  await removePortFilter(veth);
  await removePortFilters(more);
}

/** Names of all namespaces this module could have made (for leak checks and recovery). */
export async function listFleetyardNetns(): Promise<string[]> {
  try {
    return (await readdir(NETNS_DIR)).filter((n) => /^fy-[0-9a-f]{12}$/.test(n));
  } catch {
    return [];
  }
}
