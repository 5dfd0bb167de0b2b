import type { ConfigGroup } from '../domain/config-group.ts';
import type { Network } from '../domain/network.ts';
import { mergeCloudConfigs } from './cloud-config-merge.ts';
import type { CloudInitPlan, SeedNetwork } from './cloud-init-seed.ts';

/** One of an appliance's networks with the addresses it holds there. */
export interface AttachedNetwork {
  network: Network;
  /** Its IPv4 address there; null on an IPv6-only network. */
  address: string | null;
  /** Its IPv6 address there, when the network has an IPv6 pool and one was given. */
  address6: string | null;
}

/**
 * The control plane's part of a VM's NoCloud seed (cloud-init-seed.ts): the groups' cloud-config
 * merged in order, the fqdn from the first network's DNS zone, and each network as the guest is
 * to configure it. The default routes (IPv4 and IPv6) go only through the first network. A
 * network that publishes its names gives its resolver and search zone: the embedded backend
 * answers on the network's gateway, an RFC 2136 server is its own resolver.
 */
export function cloudInitPlan(hostname: string, groups: readonly ConfigGroup[], networks: readonly AttachedNetwork[]): CloudInitPlan {
  const zone = networks[0]?.network.spec.dns?.zone ?? null;
  return {
    fqdn: zone === null ? null : fqdnOf(hostname, zone),
    cloudConfig: mergeCloudConfigs(groups.flatMap((g) => (g.spec.cloudInit ? [g.spec.cloudInit.cloudConfig] : []))),
    networks: networks.map((n, i) => seedNetwork(n, i === 0)),
  };
}

/** `<hostname>.<zone>`: the name an appliance's network publishes for it (and Puppet's certname). */
export function fqdnOf(hostname: string, zone: string): string {
  return `${hostname}.${zone}`;
}

function seedNetwork(n: AttachedNetwork, first: boolean): SeedNetwork {
  const spec = n.network.spec;
  const dns = spec.dns ?? null;
  const resolver = dns === null ? null : dns.backend === 'embedded' ? (spec.gateway ?? spec.ipv6?.gateway ?? null) : dns.server;
  return {
    address: n.address,
    prefixLength: spec.cidr === null ? null : prefixOf(spec.cidr),
    gateway: first ? spec.gateway : null,
    address6:
      n.address6 && spec.ipv6 ? { address: n.address6, prefixLength: prefixOf(spec.ipv6.cidr), gateway: first ? spec.ipv6.gateway : null } : null,
    mtu: spec.mtu ?? null,
    nameservers: resolver === null ? [] : [resolver],
    search: dns === null ? [] : [dns.zone],
  };
}

function prefixOf(cidr: string): number {
  const prefix = Number(cidr.split('/')[1]);
  if (!Number.isInteger(prefix)) throw new Error(`not a CIDR: ${cidr}`);
  return prefix;
}
