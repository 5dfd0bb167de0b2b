/**
 * IPv4 address management as pure functions: no I/O, no state. The caller (the store's address
 * repository) owns which addresses are taken; these functions only do the arithmetic. Addresses
 * are handled as unsigned 32-bit integers internally and as dotted quads at the edges.
 *
 * Invariant: a chosen host address is never the network address, the broadcast address or the
 * gateway, and always lies inside the CIDR.
 */

export interface Ipv4Cidr {
  /** The network address, normalised (host bits cleared). */
  network: string;
  prefixLength: number;
  broadcast: string;
  /** Number of usable host addresses (network and broadcast excluded; /31 and /32 have none). */
  hostCount: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted-quad IPv4 address into an unsigned 32-bit integer. */
export function ipv4ToInt(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) {
    throw new RangeError(`not an IPv4 address: ${address}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** Parses `a.b.c.d/len`; host bits in the address are cleared rather than rejected. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const [addr, len, extra] = cidr.split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len)) {
    throw new RangeError(`not an IPv4 CIDR: ${cidr}`);
  }
  const prefixLength = Number(len);
  if (prefixLength > 32) throw new RangeError(`prefix length out of range: ${cidr}`);
  const mask = maskOf(prefixLength);
  const network = (ipv4ToInt(addr) & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  return {
    network: intToIpv4(network),
    prefixLength,
    broadcast: intToIpv4(broadcast),
    hostCount: prefixLength >= 31 ? 0 : broadcast - network - 1,
  };
}

export function prefixLength(cidr: string): number {
  return parseCidr(cidr).prefixLength;
}

export function cidrContains(cidr: string, address: string): boolean {
  const c = parseCidr(cidr);
  const mask = maskOf(c.prefixLength);
  return ((ipv4ToInt(address) & mask) >>> 0) === ipv4ToInt(c.network);
}

/** The conventional gateway of a network: its first host address. */
export function firstHost(cidr: string): string {
  const c = parseCidr(cidr);
  if (c.hostCount === 0) throw new RangeError(`no host addresses in ${cidr}`);
  return intToIpv4(ipv4ToInt(c.network) + 1);
}

/** Every assignable host address in order, excluding network, broadcast and gateway. */
export function* hostAddresses(cidr: string, gateway: string | null): Generator<string> {
  const c = parseCidr(cidr);
  if (c.hostCount === 0) return;
  const first = ipv4ToInt(c.network) + 1;
  const last = ipv4ToInt(c.broadcast) - 1;
  const gw = gateway === null ? -1 : ipv4ToInt(gateway);
  for (let n = first; n <= last; n++) if (n !== gw) yield intToIpv4(n);
}

/** The lowest free host address outside the excluded ranges, or null when the pool is exhausted. */
export function nextFreeAddress(
  cidr: string,
  gateway: string | null,
  taken: Iterable<string>,
  excluded: readonly { first: string; last: string }[] = [],
): string | null {
  const used = new Set<string>(taken);
  const bounds = excluded.map((r) => [ipv4ToInt(r.first), ipv4ToInt(r.last)] as const);
  const isExcluded = (a: string) => {
    const n = ipv4ToInt(a);
    return bounds.some(([lo, hi]) => n >= lo && n <= hi);
  };
  for (const a of hostAddresses(cidr, gateway)) if (!used.has(a) && !isExcluded(a)) return a;
  return null;
}

/** Number of addresses still free (network, broadcast, gateway and taken ones excluded). */
export function freeAddressCount(cidr: string, gateway: string | null, taken: Iterable<string>): number {
  const used = new Set<string>(taken);
  let free = 0;
  for (const a of hostAddresses(cidr, gateway)) if (!used.has(a)) free++;
  return free;
}

/** Whether two CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return ipv4ToInt(x.network) <= ipv4ToInt(y.broadcast) && ipv4ToInt(y.network) <= ipv4ToInt(x.broadcast);
}

/**
 * How many addresses the pool can hand out: host addresses less the gateway and the excluded
 * ones, by arithmetic on the ranges (a /8 is not walked address by address).
 */
export function poolSize(cidr: string, gateway: string | null, excluded: readonly { first: string; last: string }[] = []): number {
  const c = parseCidr(cidr);
  if (c.hostCount === 0) return 0;
  const first = ipv4ToInt(c.network) + 1;
  const last = ipv4ToInt(c.broadcast) - 1;
  const ranges = excluded
    .map((r) => [Math.max(ipv4ToInt(r.first), first), Math.min(ipv4ToInt(r.last), last)] as const)
    .filter(([lo, hi]) => lo <= hi)
    .sort((p, q) => p[0] - q[0]);
  let size = c.hostCount;
  let covered = first - 1;
  for (const [lo, hi] of ranges) {
    const from = Math.max(lo, covered + 1);
    if (hi >= from) size -= hi - from + 1;
    covered = Math.max(covered, hi);
  }
  if (gateway !== null) {
    const g = ipv4ToInt(gateway);
    if (g >= first && g <= last && !ranges.some(([lo, hi]) => g >= lo && g <= hi)) size -= 1;
  }
  return size;
}
