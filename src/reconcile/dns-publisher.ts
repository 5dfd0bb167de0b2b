import type { AgentClient } from '../agent/agent-client.ts';
import type { DnsZoneCommand } from '../agent/protocol.ts';
import type { Appliance } from '../domain/appliance.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import type { Network } from '../domain/network.ts';
import { Rfc2136Backend } from '../dns/rfc2136-backend.ts';
import { applianceRecords, networkRecords, type DnsRecord } from '../dns/records.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';

/**
 * Publishes appliances' DNS records through the backend of each of their networks (`spec.dns`):
 *
 * - `embedded`: the network's whole record set goes to every live host's agent, which serves it
 *   from the gateway address of its bridge (src/dns/embedded-server.ts). Every host holds every
 *   record, so a name answers wherever the appliance runs after a move or a failover. Only the
 *   appliance's own host must take it (that is where it asks); a host that misses it gets the
 *   whole set again when it registers.
 * - `rfc2136`: the appliance's own RRsets are replaced (or deleted) on the external server by a
 *   signed update; the key's secret is opened from the at-rest box for the update only.
 *
 * Both are idempotent and level-based: publishing again what is published changes nothing.
 */
export class DnsPublisher {
  private readonly rfc2136: Rfc2136Backend;
  /** Per embedded network: the round that runs, and the one that waits to run after it. */
  private readonly rounds = new Map<string, { current: Promise<Map<string, unknown>> | null; queued: Promise<Map<string, unknown>> | null }>();

  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    box: SecretBox,
    private readonly log: (msg: string, err?: unknown) => void = () => undefined,
  ) {
    this.rfc2136 = new Rfc2136Backend(store.clock, (sealed) => box.open(sealed));
  }

  /** The records `a` has now, on every network of it that has a zone. */
  async recordsOf(a: Appliance): Promise<DnsRecord[]> {
    return applianceRecords(a, await this.networksOf(a));
  }

  /** Makes `a`'s records be there: before the appliance is reported running. Its names (A, AAAA). */
  async publish(a: Appliance): Promise<string[]> {
    const networks = await this.networksOf(a);
    for (const network of networks.values()) {
      const dns = network.spec.dns;
      if (!dns) continue;
      if (dns.backend === 'embedded') await this.syncEmbedded(network, a.status.hostId);
      else await this.rfc2136.publish(dns, applianceRecords(a, new Map([[network.name, network]])));
    }
    return names(applianceRecords(a, networks));
  }

  /** Takes `a`'s records away (it is being deleted: `networkRecords` leaves it out already). Its names. */
  async remove(a: Appliance): Promise<string[]> {
    const networks = await this.networksOf(a);
    for (const network of networks.values()) {
      const dns = network.spec.dns;
      if (!dns) continue;
      if (dns.backend === 'embedded') await this.syncEmbedded(network, null);
      else await this.rfc2136.remove(dns, applianceRecords({ ...a, deletionRequestedAt: null }, new Map([[network.name, network]])));
    }
    return names(applianceRecords({ ...a, deletionRequestedAt: null }, networks));
  }

  /** Every embedded zone to one host: when its agent has (re)registered. */
  async syncHost(hostId: string): Promise<void> {
    const appliances = await this.store.read.appliances.all();
    for (const network of await this.store.read.networks.all()) {
      if (network.spec.dns?.backend !== 'embedded') continue;
      await this.agents.dnsZone(hostId, zoneCommand(network, networkRecords(network, appliances)));
    }
  }

  /** The records of one network, every appliance's (the API's zone view). */
  async networkRecords(network: Network): Promise<DnsRecord[]> {
    return networkRecords(network, await this.store.read.appliances.all());
  }

  /**
   * The network's whole set to every live host; a failure on `mustReach` fails the publish (the
   * appliance would ask its own host in vain), one on any other host is only logged. Publishes
   * that come while a round runs share the next round, which reads the records after them: one
   * read of the network's appliances serves every appliance that started meanwhile.
   */
  private async syncEmbedded(network: Network, mustReach: string | null): Promise<void> {
    const failures = await this.nextRound(network.id, () => this.sendZone(network.id));
    const failure = mustReach === null ? undefined : failures.get(mustReach);
    if (failure !== undefined) throw failure;
  }

  private nextRound(networkId: string, run: () => Promise<Map<string, unknown>>): Promise<Map<string, unknown>> {
    const rounds = this.rounds.get(networkId) ?? { current: null, queued: null };
    this.rounds.set(networkId, rounds);
    if (rounds.queued) return rounds.queued;
    const start = (): Promise<Map<string, unknown>> => {
      const current = run().finally(() => {
        if (rounds.current === current) rounds.current = null;
      });
      rounds.current = current;
      return current;
    };
    if (!rounds.current) return start();
    const queued = rounds.current.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      rounds.queued = null;
      return start();
    });
    rounds.queued = queued;
    return queued;
  }

  /** One round: the network re-read, its records computed, sent to every live host; the failures by host. */
  private async sendZone(networkId: string): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    const network = await this.store.read.networks.get(networkId);
    if (network?.spec.dns?.backend !== 'embedded') return failures;
    const command = zoneCommand(network, await this.networkRecords(network));
    const now = this.store.clock.now();
    const hosts = (await this.store.read.resources.all({ type: 'physical' })).filter((r) => isHost(r) && hostIsLive(r, now));
    const results = await Promise.allSettled(hosts.map((h) => this.agents.dnsZone(h.id, command)));
    results.forEach((r, i) => {
      const host = hosts[i];
      if (r.status === 'fulfilled' || !host) return;
      failures.set(host.id, r.reason);
      this.log(`host ${host.name} did not take the records of network ${network.name}; it gets them when it registers again`, r.reason);
    });
    return failures;
  }

  private async networksOf(a: Appliance): Promise<Map<string, Network>> {
    const out = new Map<string, Network>();
    for (const name of [a.spec.network, ...(a.spec.moreNetworks ?? [])]) {
      const network = await this.store.read.networks.getByName(name);
      if (network) out.set(name, network);
    }
    return out;
  }
}

/** The names (not the reverse ones) among the records, once each. */
function names(records: readonly DnsRecord[]): string[] {
  return [...new Set(records.filter((r) => r.type !== 'PTR').map((r) => r.name))];
}

function zoneCommand(network: Network, records: readonly DnsRecord[]): DnsZoneCommand {
  const zone = network.spec.dns?.zone ?? '';
  return {
    network: network.name,
    bridge: network.spec.bridge,
    // The IPv4 gateway, or the IPv6 one on an IPv6-only network: where the server answers.
    gateway: network.spec.gateway ?? network.spec.ipv6?.gateway ?? '',
    zone,
    cidrs: [network.spec.cidr, network.spec.ipv6?.cidr].filter((c): c is string => typeof c === 'string'),
    records: records.flatMap((r) => (r.type === 'PTR' ? [] : [{ name: r.name, type: r.type, value: r.value }])),
  };
}
