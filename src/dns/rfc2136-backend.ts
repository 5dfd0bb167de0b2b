import type { Clock } from '../domain/clock.ts';
import type { NetworkDns } from '../domain/network.ts';
import type { DnsRecord } from './records.ts';
import { updateZone, type Rrset } from './rfc2136-client.ts';

export type Rfc2136Dns = Extract<NetworkDns, { backend: 'rfc2136' }>;

/** TTL of the records Fleetyard publishes: short, since a record follows its appliance. */
export const RECORD_TTL_SECONDS = 60;

/**
 * Publishes an appliance's records to an external DNS server: per zone (the forward zone, each
 * reverse zone) one signed update that replaces the RRsets of the appliance's names. `remove`
 * deletes those RRsets. Both are idempotent, so a retry after a failure is harmless.
 */
export class Rfc2136Backend {
  constructor(
    private readonly clock: Clock,
    /** Opens the key's secret (sealed at rest with the installation's secret box). */
    private readonly openSecret: (sealed: string) => string,
  ) {}

  publish(dns: Rfc2136Dns, records: readonly DnsRecord[]): Promise<void> {
    return this.apply(dns, records, false);
  }

  remove(dns: Rfc2136Dns, records: readonly DnsRecord[]): Promise<void> {
    return this.apply(dns, records, true);
  }

  private async apply(dns: Rfc2136Dns, records: readonly DnsRecord[], remove: boolean): Promise<void> {
    const target = { server: dns.server, port: dns.port, key: { name: dns.keyName, algorithm: dns.keyAlgorithm, secret: this.openSecret(dns.keySecretSealed) } };
    for (const [zone, rrsets] of byZone(records, remove)) await updateZone(target, zone, rrsets, this.clock);
  }
}

/** The records as RRsets (name + type), grouped by zone; `remove`: every RRset empty. */
function byZone(records: readonly DnsRecord[], remove: boolean): Map<string, Rrset[]> {
  const zones = new Map<string, Map<string, Rrset>>();
  for (const r of records) {
    let sets = zones.get(r.zone);
    if (!sets) zones.set(r.zone, (sets = new Map()));
    const key = `${r.name} ${r.type}`;
    let set = sets.get(key);
    if (!set) sets.set(key, (set = { name: r.name, type: r.type, values: [], ttl: RECORD_TTL_SECONDS }));
    if (!remove) set.values.push(r.value);
  }
  return new Map([...zones].map(([zone, sets]) => [zone, [...sets.values()]]));
}
