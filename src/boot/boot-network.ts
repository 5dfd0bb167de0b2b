import { assertLinkName } from '../network/bridge.ts';
import { cidrContains, ipv4ToInt, parseCidr } from '../network/ipam.ts';

/**
 * The network one boot service serves, always named by configuration and never guessed: which
 * bridge, in which network namespace, at which address. The control plane's bridges live in the
 * host's namespace (`netns: null`); a test network, or a provisioning network kept apart from
 * the host's own, lives in a namespace of its own. Whatever must be *on* that network — dnsmasq,
 * the HTTP file server, the probes that ask whether a machine answers — is started inside it.
 *
 * The boot service does not make the bridge or its addresses: the network layer (or the test)
 * does, and the boot service only serves on them.
 */
export interface BootNetwork {
  /** The Fleetyard network's name (RuntimeNetwork.name): one boot service per network and host. */
  name: string;
  /** The interface dnsmasq answers DHCP on: a bridge carrying `serverAddress`. */
  bridge: string;
  /** The network namespace the bridge lives in; null for the host's own namespace. */
  netns: string | null;
  /** The boot server's IPv4 address on the bridge; DHCP, TFTP and HTTP answer from it. */
  serverAddress: string;
  prefixLength: number;
  /** The HTTP file server's port on `serverAddress` (iPXE scripts, kernels, root tarballs). */
  httpPort: number;
  /**
   * Addresses lent to machines nobody assigned yet, so they can network-boot and be discovered.
   * Must lie outside the network's address pool (IPAM never hands these out). Null: a machine
   * without a reservation gets no address and is never discovered.
   */
  discoveryRange: { first: string; last: string } | null;
  /**
   * Answer IPv6 router solicitations (dnsmasq router advertisements, router lifetime 0, so no
   * default route). iPXE configures IPv4 and IPv6 together and waits for its router
   * solicitations to time out when nobody answers: about 13 s of every network boot. Needs an
   * fd00::/8 /64 address on the bridge to advertise.
   */
  routerAdvertisements: boolean;
}

/** Throws RangeError for a network the boot service cannot serve safely. */
export function validateBootNetwork(net: BootNetwork): BootNetwork {
  if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(net.name)) throw new RangeError(`not a valid boot network name: ${net.name}`);
  assertLinkName(net.bridge);
  if (net.netns !== null && !/^[a-zA-Z0-9_.-]{1,64}$/.test(net.netns)) {
    throw new RangeError(`not a valid network namespace name: ${net.netns}`);
  }
  ipv4ToInt(net.serverAddress);
  if (!Number.isInteger(net.prefixLength) || net.prefixLength < 8 || net.prefixLength > 30) {
    throw new RangeError(`boot network prefix length must be 8..30: ${net.prefixLength}`);
  }
  if (!Number.isInteger(net.httpPort) || net.httpPort < 1 || net.httpPort > 65535) {
    throw new RangeError(`not a valid port: ${net.httpPort}`);
  }
  const cidr = `${net.serverAddress}/${net.prefixLength}`;
  const range = net.discoveryRange;
  if (range !== null) {
    if (!cidrContains(cidr, range.first) || !cidrContains(cidr, range.last)) {
      throw new RangeError(`discovery range ${range.first}-${range.last} is not inside ${cidr}`);
    }
    if (ipv4ToInt(range.first) > ipv4ToInt(range.last)) throw new RangeError('discovery range is reversed');
  }
  return net;
}

/** A command line that runs `command` on the boot network: inside its namespace if it has one. */
export function inNetwork(net: BootNetwork, command: string, args: readonly string[]): [string, string[]] {
  return net.netns === null ? [command, [...args]] : ['ip', ['netns', 'exec', net.netns, command, ...args]];
}

/** The dotted netmask of a prefix length (dnsmasq wants masks, not lengths). */
export function netmask(prefixLength: number): string {
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [mask >>> 24, (mask >>> 16) & 255, (mask >>> 8) & 255, mask & 255].join('.');
}

/** The network address of `address/prefixLength`. */
export function networkAddress(address: string, prefixLength: number): string {
  return parseCidr(`${address}/${prefixLength}`).network;
}
