import type { Appliance } from '../domain/appliance.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import type { Network } from '../domain/network.ts';
import type { Resource } from '../domain/resource.ts';
import type { RuntimeNetwork, RuntimeVxlan } from '../drivers/driver.ts';
import { ipv4ToInt, parseCidr } from '../network/ipam.ts';

/**
 * Which host carries which network that spans hosts, and to whom it floods, as pure functions of
 * the hosts and appliances. A host's underlay address is what its agent reported
 * (`facts.underlayAddress`); a spanning network's peers are the underlay addresses of every
 * other live host that has one (head-end replication to all of them: a host that does not carry
 * the VNI drops what it gets). A host carries a network while one of the network's appliances is
 * placed on it.
 */
export function underlayOf(h: Resource): string | null {
  const a = h.status.facts.underlayAddress;
  if (typeof a !== 'string') return null;
  try {
    ipv4ToInt(a);
    return a;
  } catch {
    return null;
  }
}

export function vxlanFor(network: Network, hostId: string, hosts: Resource[], now: Date): RuntimeVxlan | null {
  const vni = network.spec.vxlan?.vni;
  if (vni === undefined) return null;
  const self = hosts.find((h) => h.id === hostId);
  const others = hosts.filter((h) => h.id !== hostId && isHost(h) && hostIsLive(h, now));
  const peers = others.map(underlayOf).filter((a): a is string => a !== null);
  return { vni, local: self ? underlayOf(self) : null, peers: [...new Set(peers)].sort(), spansHosts: others.length > 0 };
}

/** What a driver needs of a network on `hostId`: its bridge, address, MTU and, spanning, VXLAN. */
export function runtimeNetworkOf(network: Network, address: string | null, hostId: string, hosts: Resource[], now: Date): RuntimeNetwork {
  const vxlan = vxlanFor(network, hostId, hosts, now);
  return {
    name: network.name,
    bridge: network.spec.bridge,
    address,
    prefixLength: network.spec.cidr === null ? null : parseCidr(network.spec.cidr).prefixLength,
    gateway: network.spec.gateway,
    ...(network.spec.mtu !== undefined ? { mtu: network.spec.mtu } : {}),
    ...(vxlan ? { vxlan } : {}),
  };
}

/**
 * Per live host with an underlay address: the spanning networks it carries, as the fabric
 * command lists them (the gateway as the address: no appliance's own is needed).
 */
export function fabricPlan(networks: Network[], hosts: Resource[], appliances: Appliance[], now: Date): Map<string, RuntimeNetwork[]> {
  const spanning = new Map(networks.filter((n) => n.spec.vxlan).map((n) => [n.name, n]));
  const plan = new Map<string, RuntimeNetwork[]>();
  for (const h of hosts) {
    if (!isHost(h) || !hostIsLive(h, now) || underlayOf(h) === null) continue;
    const names = new Set<string>();
    for (const a of appliances) {
      if (a.status.hostId !== h.id) continue;
      for (const n of [a.spec.network, ...(a.spec.moreNetworks ?? [])]) if (spanning.has(n)) names.add(n);
    }
    plan.set(
      h.id,
      [...names].sort().map((n) => {
        const net = spanning.get(n) as Network;
        return runtimeNetworkOf(net, net.spec.gateway, h.id, hosts, now);
      }),
    );
  }
  return plan;
}
