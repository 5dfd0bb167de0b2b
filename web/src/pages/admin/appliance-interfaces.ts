import type { Appliance } from '../../api/types.ts';

/** One interface of an appliance as the console shows it: its name inside, network and address. */
export interface ApplianceInterface {
  name: string;
  network: string;
  /** Null until placement gave it one (and on an IPv6-only network). */
  address: string | null;
  /** Its IPv6 address there; null where the network has no IPv6 pool or none was given yet. */
  address6: string | null;
}

/**
 * An appliance's interfaces in order: eth0 on its first network (its default route), then eth1,
 * eth2, … on its further networks, each with the addresses placement gave it there.
 */
export function interfacesOf(a: Pick<Appliance, 'spec' | 'status'>): ApplianceInterface[] {
  const more = a.spec.moreNetworks ?? [];
  return [
    { name: 'eth0', network: a.spec.network, address: a.status.address, address6: a.status.address6 ?? null },
    ...more.map((network, i) => ({
      name: `eth${i + 1}`,
      network,
      address: a.status.moreAddresses?.[i] ?? null,
      address6: a.status.moreAddresses6?.[i] ?? null,
    })),
  ];
}

/**
 * `eth0 default 169.254.1.2 fd00:1::2 · eth1 lan 10.0.0.2`: each interface's IPv4 address, then its
 * IPv6 one where it has one, with — while it has neither.
 */
export function interfacesText(a: Pick<Appliance, 'spec' | 'status'>): string {
  return interfacesOf(a)
    .map((i) => {
      const addresses = [i.address, i.address6].filter((x) => x !== null);
      return `${i.name} ${i.network} ${addresses.length > 0 ? addresses.join(' ') : '—'}`;
    })
    .join(' · ');
}
