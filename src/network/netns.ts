import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { exec } from '../host/exec.ts';
import { assertLinkName, linkExists } from './bridge.ts';
import { attachPortLines, ensurePortFilter, pinPortMac, removePortFilter } from './port-filter.ts';

/**
 * One network namespace per appliance, joined to its network's bridge by a veth pair: the host
 * end is enslaved to the bridge, the other end lives in the namespace as `eth0` with the
 * appliance's address. No default route is added: the appliance reaches the gateway (the host)
 * on-link and nothing else.
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

/** `fyv` + 10 hex: the host end of the appliance's veth pair. */
export function hostVethName(applianceId: string): string {
  return `fyv${digest(applianceId).slice(0, 10)}`;
}

/**
 * The MAC of the appliance's eth0: 02 (locally administered, unicast) + 40 bits of the id's hash,
 * stable across restarts so the port filter and the neighbours' ARP caches stay right.
 */
export function applianceMac(applianceId: string): string {
  const h = digest(applianceId).slice(12, 22);
  return ['02', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(':');
}

export function netnsPath(applianceId: string): string {
  return `${NETNS_DIR}/${netnsName(applianceId)}`;
}

export interface NetnsSpec {
  applianceId: string;
  bridge: string;
  address: string;
  prefixLength: number;
}

/**
 * Creates whatever of namespace, veth pair and addressing is missing. Four processes: `nft` (the
 * port's filter, first, so nothing the appliance sends is ever unfiltered), one `ip -batch` in
 * the host namespace, then `bridge` (the port's MAC pinned) alongside one `ip -batch` inside the
 * appliance's namespace. The peer is created directly inside the namespace as eth0 (names are per
 * namespace), so there is no window in which a half-moved interface sits in the host namespace;
 * its MAC is set again inside, for a pair made before MACs were derived.
 */
export async function ensureNetns(spec: NetnsSpec): Promise<{ netns: string; hostVeth: string }> {
  assertLinkName(spec.bridge);
  const ns = netnsName(spec.applianceId);
  const veth = hostVethName(spec.applianceId);
  const mac = applianceMac(spec.applianceId);
  await ensurePortFilter({ port: veth, applianceId: spec.applianceId, mac, ipv4: spec.address });
  const host: string[] = [];
  const nsExists = existsSync(`${NETNS_DIR}/${ns}`);
  let vethExists = linkExists(veth);
  if (!nsExists) {
    // A host end without its namespace is the remains of a dying pair: replace it.
    if (vethExists) host.push(`link del ${veth}`);
    vethExists = false;
    host.push(`netns add ${ns}`);
  }
  if (!vethExists) host.push(`link add ${veth} type veth peer name eth0 address ${mac} netns ${ns}`);
  host.push(...attachPortLines(veth, spec.bridge));
  // The address may have belonged to this appliance's previous veth (a restart) or to another
  // appliance: forget the old MAC now instead of sending to it until the entry goes stale.
  host.push(`neigh flush to ${spec.address} dev ${spec.bridge}`);
  await exec('ip', ['-batch', '-'], { input: host.join('\n') + '\n' });
  const inside = [
    `link set eth0 address ${mac}`,
    `addr replace ${spec.address}/${spec.prefixLength} dev eth0`,
    'link set eth0 up',
    'link set lo up',
  ];
  await Promise.all([pinPortMac(veth, mac), exec('ip', ['-n', ns, '-batch', '-'], { input: inside.join('\n') + '\n' })]);
  return { netns: ns, hostVeth: veth };
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
  await ensurePortFilter({ port: veth, applianceId: spec.applianceId, mac, ipv4: spec.address });
  await exec('ip', ['-batch', '-'], { input: attachPortLines(veth, spec.bridge).join('\n') + '\n' });
  await pinPortMac(veth, mac);
}

/**
 * Deletes the veth pair, the namespace and then the port's filter; absent parts are skipped. The
 * host end is deleted explicitly because the kernel tears a namespace down asynchronously:
 * relying on `netns del` alone would leave the veth visible for a moment and make a leak check
 * flaky.
 */
export async function deleteNetns(applianceId: string): Promise<void> {
  const ns = netnsName(applianceId);
  const veth = hostVethName(applianceId);
  const lines: string[] = [];
  if (linkExists(veth)) lines.push(`link del ${veth}`);
  if (existsSync(`${NETNS_DIR}/${ns}`)) lines.push(`netns del ${ns}`);
  if (lines.length > 0) await exec('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
  // Only now that the port is gone: its filter must outlive every frame it could send.
  await removePortFilter(veth);
}

/** Names of all namespaces this module could have made (for leak checks and recovery). */
export async function listFleetyardNetns(): Promise<string[]> {
  try {
    return (await readdir(NETNS_DIR)).filter((n) => /^fy-[0-9a-f]{12}$/.test(n));
  } catch {
    return [];
  }
}
