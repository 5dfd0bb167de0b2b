import ipaddr from 'ipaddr.js';

/**
 * IPv6 address management as pure functions, the sibling of `ipam.ts`: parsing and arithmetic by
 * ipaddr.js, addresses as 128-bit BigInts inside and in RFC 5952 form (`fd00:1::5`) at the
 * edges, which is also how the store keeps them, so one address has one spelling.
 *
 * Invariant: a chosen address is never the subnet-router anycast address (the network address,
 * host bits zero) nor the gateway, and always lies inside the CIDR. IPv6 has no broadcast, so the
 * last address of the prefix is assignable.
 */

export interface Ipv6Cidr {
  /** The network address, normalised (host bits cleared), in RFC 5952 form. */
  network: string;
  prefixLength: number;
  first: bigint;
  last: bigint;
}

export function ipv6ToBigInt(address: string): bigint {
  if (!ipaddr.IPv6.isValid(address)) throw new RangeError(`not an IPv6 address: ${address}`);
  const parsed = ipaddr.IPv6.parse(address);
  if (parsed.zoneId) throw new RangeError(`an IPv6 address with a zone is not a pool address: ${address}`);
  return parsed.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

export function bigIntToIpv6(n: bigint): string {
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number((n >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** The RFC 5952 spelling of an address (throws RangeError for anything but IPv6). */
export function normaliseIpv6(address: string): string {
  return bigIntToIpv6(ipv6ToBigInt(address));
}

/** Parses `addr/len`; host bits in the address are cleared rather than rejected. */
export function parseCidr6(cidr: string): Ipv6Cidr {
  const [addr, len, extra] = cidr.split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) {
    throw new RangeError(`not an IPv6 CIDR: ${cidr}`);
  }
  const prefixLength = Number(len);
  if (prefixLength > 128) throw new RangeError(`prefix length out of range: ${cidr}`);
  const hostBits = BigInt(128 - prefixLength);
  const first = (ipv6ToBigInt(addr) >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { network: bigIntToIpv6(first), prefixLength, first, last };
}

export function cidr6Contains(cidr: string, address: string): boolean {
  const c = parseCidr6(cidr);
  const n = ipv6ToBigInt(address);
  return n >= c.first && n <= c.last;
}

export function cidrs6Overlap(a: string, b: string): boolean {
  const x = parseCidr6(a);
  const y = parseCidr6(b);
  return x.first <= y.last && y.first <= x.last;
}

/** The conventional gateway: the first address after the network address. */
export function firstHost6(cidr: string): string {
  const c = parseCidr6(cidr);
  if (c.last - c.first < 2n) throw new RangeError(`no host addresses in ${cidr}`);
  return bigIntToIpv6(c.first + 1n);
}

type Bounds = Array<readonly [bigint, bigint]>;

/** Excluded ranges clipped to the CIDR and merged, in ascending order. */
function mergedRanges(c: Ipv6Cidr, excluded: readonly { first: string; last: string }[]): Bounds {
  const ranges = excluded
    .map((r) => [ipv6ToBigInt(r.first), ipv6ToBigInt(r.last)] as const)
    .map(([lo, hi]) => [lo > c.first ? lo : c.first + 1n, hi < c.last ? hi : c.last] as const)
    .filter(([lo, hi]) => lo <= hi)
    .sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [lo, hi] of ranges) {
    const prev = out.at(-1);
    if (prev && lo <= prev[1] + 1n) prev[1] = hi > prev[1] ? hi : prev[1];
    else out.push([lo, hi]);
  }
  return out;
}

/**
 * The lowest free address outside the excluded ranges, or null when the pool is exhausted. Each
 * step passes a taken address or jumps over a whole excluded range, so the work is bounded by
 * the number of taken addresses and ranges, not by the size of the prefix.
 */
export function nextFreeAddress6(
  cidr: string,
  gateway: string | null,
  taken: Iterable<string>,
  excluded: readonly { first: string; last: string }[] = [],
): string | null {
  const c = parseCidr6(cidr);
  const used = new Set<bigint>([...taken].map(ipv6ToBigInt));
  if (gateway !== null) used.add(ipv6ToBigInt(gateway));
  const ranges = mergedRanges(c, excluded);
  let n = c.first + 1n;
  for (let steps = 0; steps <= used.size + ranges.length + 1; steps++) {
    if (n > c.last) return null;
    const range = ranges.find(([lo, hi]) => n >= lo && n <= hi);
    if (range) n = range[1] + 1n;
    else if (used.has(n)) n += 1n;
    else return bigIntToIpv6(n);
  }
  return null;
}

/** How many addresses the pool can hand out: the prefix less the network address, the gateway and the excluded ranges. */
export function poolSize6(cidr: string, gateway: string | null, excluded: readonly { first: string; last: string }[] = []): bigint {
  const c = parseCidr6(cidr);
  const ranges = mergedRanges(c, excluded);
  let size = c.last - c.first;
  for (const [lo, hi] of ranges) size -= hi - lo + 1n;
  if (gateway !== null) {
    const g = ipv6ToBigInt(gateway);
    if (g > c.first && g <= c.last && !ranges.some(([lo, hi]) => g >= lo && g <= hi)) size -= 1n;
  }
  return size;
}

/**
 * The link-local address the kernel forms from a MAC by modified EUI-64 (RFC 4291 appendix A),
 * e.g. 02:1a:2b:3c:4d:5e → fe80::1a:2bff:fe3c:4d5e; an appliance's eth0 is set to make it this way.
 */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  if (b.length !== 6 || b.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new RangeError(`not a MAC address: ${mac}`);
  const [b0, b1, b2, b3, b4, b5] = b as [number, number, number, number, number, number];
  return ipaddr.fromByteArray([0xfe, 0x80, 0, 0, 0, 0, 0, 0, b0 ^ 0x02, b1, b2, 0xff, 0xfe, b3, b4, b5]).toString();
}
