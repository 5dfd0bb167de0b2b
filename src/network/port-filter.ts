import { exec } from '../host/exec.ts';
import { assertLinkName } from './bridge.ts';
import { ipv4ToInt } from './ipam.ts';
import { ipv6ToBigInt, linkLocalOf, normaliseIpv6 } from './ipam6.ts';

/**
 * An appliance's port on a bridge (the host end of its veth, or its VM's tap) speaks only as the
 * appliance and hears only what is meant for it:
 *
 * - Sending: an nftables chain per port in the bridge family, on the prerouting hook, i.e. before
 *   the bridge learns or forwards anything. A frame from the port passes only if its source MAC
 *   is the appliance's and it is IPv4 from the appliance's address or an Ethernet/IPv4 ARP packet
 *   whose sender MAC and address are the appliance's. Everything else is dropped: other source
 *   MACs, other source addresses, ARP claiming another address (no ARP spoofing), VLAN tags, and
 *   IPv6 other than from the appliance's own IPv6 and link-local addresses (`ipv6`; all of IPv6
 *   when it has none), with neighbour advertisements only for those (no ND spoofing).
 * - Receiving: the port does not learn (its MAC is pinned with a static fdb entry instead) and
 *   gets no flooded unknown unicast, so frames for a neighbour whose fdb entry is missing are not
 *   copied to everyone. Broadcast and multicast still reach it (ARP needs them).
 *
 * Names: one table `bridge fleetyard`, shared by every port on the host; in it the map `ports`
 * (port name → `jump port-<port>`), looked up by the single rule of the base chain, and the
 * chain `port-<port>`, whose comment names the appliance. Port names derive from the appliance id
 * (netns.ts, qemu/paths.ts), so a retry finds what an earlier attempt made. Ports not in the
 * map, the host's own traffic and other bridges pass untouched.
 *
 * Invariant (ordering): the filter exists before its port is attached to a bridge, and goes only
 * after the port is deleted, so no frame of an appliance ever crosses the bridge unfiltered. The
 * rules match the port by name, so they can exist before the link does.
 *
 * Each operation is one `nft -f -` transaction, atomic and idempotent: ensure re-creates the
 * chain's rules (flush + add in one batch, so there is no moment without them) and the base
 * chain's lookup; remove first makes what it deletes (`add` of something present is a no-op),
 * so it succeeds whether or not the filter was there, without asking first.
 */

export const PORT_FILTER_TABLE = 'fleetyard';
const T = `bridge ${PORT_FILTER_TABLE}`;

export interface PortIdentity {
  /** The bridge port: host end of a veth, or a tap. */
  port: string;
  /** Recorded as the chain's comment, for whoever reads `nft list ruleset`. */
  applianceId: string;
  /** The only source MAC the port may use, e.g. 02:1a:2b:3c:4d:5e. */
  mac: string;
  /** The only IPv4 source (and ARP sender) address the port may use; null: no IPv4 and no ARP at all (an IPv6-only network). */
  ipv4: string | null;
  /**
   * The appliance's IPv6 address, when its network has an IPv6 pool: then the port may also send
   * IPv6 from it and from its MAC's EUI-64 link-local address, and neighbour discovery from the
   * unspecified address (duplicate address detection, MLD), but a neighbour advertisement only
   * for those two addresses (no ND spoofing). Without it, all IPv6 is dropped.
   */
  ipv6?: string | null;
}

/** The chain holding one port's rules. */
export function portChain(port: string): string {
  assertLinkName(port);
  return `port-${port}`;
}

/** The table, map and base chain every port filter hangs off (create-if-absent). */
function base(): string[] {
  return [
    `add table ${T}`,
    `add map ${T} ports { type ifname : verdict ; }`,
    `add chain ${T} prerouting { type filter hook prerouting priority filter ; policy accept ; }`,
    // Flushed and re-added so the lookup exists exactly once, whoever got here first.
    `flush chain ${T} prerouting`,
    `add rule ${T} prerouting iifname vmap @ports`,
  ];
}

/** The nft script that makes (or remakes) a port's filter; pure, so it is tested without nft. */
export function portFilterScript(id: PortIdentity): string {
  const chain = portChain(id.port);
  const mac = assertMac(id.mac);
  const ip = id.ipv4;
  if (ip !== null) ipv4ToInt(ip); // throws RangeError for anything but a dotted quad
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id.applianceId)) throw new RangeError(`not a valid appliance id: ${id.applianceId}`);
  return [
    ...base(),
    `add chain ${T} ${chain} { comment "appliance ${id.applianceId}" ; }`,
    `flush chain ${T} ${chain}`,
    `add rule ${T} ${chain} ether saddr != ${mac} counter drop`,
    ...(ip === null
      ? []
      : [
          `add rule ${T} ${chain} ether type ip ip saddr ${ip} accept`,
          `add rule ${T} ${chain} ether type arp arp htype 1 arp ptype ip arp hlen 6 arp plen 4 arp saddr ether ${mac} arp saddr ip ${ip} accept`,
        ]),
    ...(id.ipv6 ? ipv6Rules(chain, mac, id.ipv6) : []),
    `add rule ${T} ${chain} counter drop`,
    `add element ${T} ports { "${id.port}" : jump ${chain} }`,
  ].join('\n') + '\n';
}

/**
 * IPv6 from the appliance's own addresses. nft 1.0.6 has no `icmpv6 taddr`, so an
 * advertisement's target (the 16 bytes after the ICMPv6 header's first 8) is matched raw.
 */
function ipv6Rules(chain: string, mac: string, ipv6: string): string[] {
  const own = normaliseIpv6(ipv6);
  const linkLocal = linkLocalOf(mac);
  const raw = (a: string) => `0x${ipv6ToBigInt(a).toString(16).padStart(32, '0')}`;
  const mine = `{ ${own}, ${linkLocal} }`;
  return [
    `add rule ${T} ${chain} ether type ip6 ip6 saddr ${mine} icmpv6 type nd-neighbor-advert @th,64,128 { ${raw(own)}, ${raw(linkLocal)} } accept`,
    `add rule ${T} ${chain} ether type ip6 icmpv6 type nd-neighbor-advert counter drop`,
    `add rule ${T} ${chain} ether type ip6 ip6 saddr ${mine} accept`,
    `add rule ${T} ${chain} ether type ip6 ip6 saddr :: icmpv6 type { nd-neighbor-solicit, mld2-listener-report } accept`,
  ];
}

/** The nft script that removes a port's filter, whether or not it exists. */
export function removePortFilterScript(port: string): string {
  const chain = portChain(port);
  return [
    `add table ${T}`,
    `add map ${T} ports { type ifname : verdict ; }`,
    `add chain ${T} ${chain}`,
    `add element ${T} ports { "${port}" : jump ${chain} }`,
    `delete element ${T} ports { "${port}" }`,
    `flush chain ${T} ${chain}`,
    `delete chain ${T} ${chain}`,
  ].join('\n') + '\n';
}

/** Makes the port's filter current (before the port is attached to its bridge). */
export async function ensurePortFilter(id: PortIdentity): Promise<void> {
  await exec('nft', ['-f', '-'], { input: portFilterScript(id) });
}

/** Removes the port's filter (after the port is deleted); absent is fine. */
export async function removePortFilter(port: string): Promise<void> {
  await exec('nft', ['-f', '-'], { input: removePortFilterScript(port) });
}

/** Removes the filters of several ports in one transaction (after the ports are deleted); absent is fine. */
export async function removePortFilters(ports: readonly string[]): Promise<void> {
  if (ports.length === 0) return;
  await exec('nft', ['-f', '-'], { input: ports.map(removePortFilterScript).join('') });
}

/**
 * `ip -batch` lines that attach a port to its bridge so it hears only its own traffic: no
 * learning, no unknown-unicast flooding. The port must already have its filter; its MAC must be
 * pinned with `pinPortMac` before the appliance is expected to answer.
 */
export function attachPortLines(port: string, bridge: string): string[] {
  assertLinkName(port);
  assertLinkName(bridge);
  return [`link set dev ${port} master ${bridge}`, `link set dev ${port} type bridge_slave learning off flood off`, `link set dev ${port} up`];
}

/** The static fdb entry that sends frames for the appliance's MAC to its port (it does not learn). */
export async function pinPortMac(port: string, mac: string): Promise<void> {
  assertLinkName(port);
  await exec('bridge', ['fdb', 'replace', assertMac(mac), 'dev', port, 'master', 'static']);
}

function assertMac(mac: string): string {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)) throw new RangeError(`not a lower-case MAC address: ${mac}`);
  if ((parseInt(mac.slice(0, 2), 16) & 1) === 1) throw new RangeError(`not a unicast MAC address: ${mac}`);
  return mac;
}

