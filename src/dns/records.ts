import type { Appliance } from '../domain/appliance.ts';
import type { Network } from '../domain/network.ts';

/**
 * The DNS records an appliance has: on each of its networks whose spec names a DNS zone, its
 * `<hostname>.<zone>` A record (and AAAA when it has an IPv6 address there), and the PTR record
 * of each address back to that name. Pure: computed from the appliance and its networks, so the
 * reconciler, the backends and the API all agree on what should be there.
 */
export interface DnsRecord {
  /** Fully qualified, lower case, no trailing dot. */
  name: string;
  type: 'A' | 'AAAA' | 'PTR';
  /** An address for A and AAAA; a fully qualified name (no trailing dot) for PTR. */
  value: string;
  /**
   * The zone the record belongs to: the network's zone for A and AAAA; for PTR the reverse zone
   * of the network's prefix, rounded down to whole octets (nibbles for IPv6): a /22 in
   * 169.254.64.0 is in `254.169.in-addr.arpa`. An external server must host that zone.
   */
  zone: string;
  network: string;
  applianceId: string;
}

/** The appliance's address on each network it is on, in the order of its interfaces. */
export function applianceAddresses(a: Appliance): Array<{ network: string; address: string | null; address6: string | null }> {
  const out: Array<{ network: string; address: string | null; address6: string | null }> = [];
  if (a.status.address || a.status.address6) out.push({ network: a.spec.network, address: a.status.address, address6: a.status.address6 ?? null });
  const more = a.spec.moreNetworks ?? [];
  const moreAddresses = a.status.moreAddresses ?? [];
  const moreAddresses6 = a.status.moreAddresses6 ?? [];
  more.forEach((network, i) => {
    const address = moreAddresses[i];
    if (address) out.push({ network, address, address6: moreAddresses6[i] ?? null });
  });
  return out;
}

/** The records of `a` on the networks given (by name); networks without a zone give none. */
export function applianceRecords(a: Appliance, networks: ReadonlyMap<string, Network>): DnsRecord[] {
  const hostname = a.spec.hostname.toLowerCase();
  if (!isDnsLabel(hostname)) return [];
  const out: DnsRecord[] = [];
  for (const { network, address, address6 } of applianceAddresses(a)) {
    const spec = networks.get(network)?.spec;
    const zone = spec?.dns?.zone;
    if (!spec || !zone) continue;
    const name = `${hostname}.${zone}`;
    const base = { zone, network, applianceId: a.id };
    if (address && spec.cidr) {
      out.push({ ...base, name, type: 'A', value: address });
      out.push({ ...base, zone: reverseZone(spec.cidr), name: reverseName(address), type: 'PTR', value: name });
    }
    if (address6 && spec.ipv6) {
      out.push({ ...base, name, type: 'AAAA', value: address6 });
      out.push({ ...base, zone: reverseZone(spec.ipv6.cidr), name: reverseName(address6), type: 'PTR', value: name });
    }
  }
  return out;
}

/** Does the appliance have records now: an address, and not being deleted. */
export function hasRecords(a: Appliance): boolean {
  return (a.status.address !== null || Boolean(a.status.address6)) && !a.deletionRequestedAt;
}

/** The records of every appliance on `network` that has them, sorted by name and type. */
export function networkRecords(network: Network, appliances: readonly Appliance[]): DnsRecord[] {
  const networks = new Map([[network.name, network]]);
  return appliances
    .filter(hasRecords)
    .flatMap((a) => applianceRecords(a, networks))
    .filter((r) => r.network === network.name)
    .sort((x, y) => (x.name === y.name ? x.type.localeCompare(y.type) : x.name.localeCompare(y.name)));
}

/** A hostname that can be one DNS label; anything else gets no records rather than a broken zone. */
export function isDnsLabel(s: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s);
}

/** `10.20.0.42` → `42.0.20.10.in-addr.arpa`; an IPv6 address → its nibbles under `ip6.arpa`. */
export function reverseName(address: string): string {
  if (!address.includes(':')) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${expandIpv6(address).replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa`;
}

/** The reverse zone that holds the PTR records of a prefix: its whole octets (or nibbles). */
export function reverseZone(cidr: string): string {
  const [address = '', bits = ''] = cidr.split('/');
  const prefix = Number(bits);
  if (!address.includes(':')) {
    const octets = address.split('.').slice(0, Math.max(1, Math.floor(prefix / 8)));
    return `${octets.reverse().join('.')}.in-addr.arpa`;
  }
  const nibbles = expandIpv6(address).replace(/:/g, '').split('').slice(0, Math.max(1, Math.floor(prefix / 4)));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

function expandIpv6(address: string): string {
  const [head = '', tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(missing).fill('0'), ...t];
  if (groups.length !== 8) throw new RangeError(`not an IPv6 address: ${address}`);
  return groups.map((g) => g.padStart(4, '0')).join(':');
}
