import type { Appliance } from '../domain/appliance.ts';
import type { ConfigGroup } from '../domain/config-group.ts';
import type { Network } from '../domain/network.ts';
import { fqdnOf, type AttachedNetwork } from './cloud-init-plan.ts';

/** Where the inputs come from: the store's repositories fit (`repos.configGroups`, `repos.networks`). */
export interface ConfigLookup {
  configGroups: { getByName(name: string): Promise<ConfigGroup | undefined> };
  networks: { getByName(name: string): Promise<Network | undefined> };
}

/** What an appliance's configuration documents are made of. */
export interface ApplianceConfigInputs {
  /** Its groups in its order; a name no group has (any longer) is left out. */
  groups: ConfigGroup[];
  /** Its networks with its addresses there, the first (`spec.network`) first; one it holds no address on is left out. */
  networks: AttachedNetwork[];
  /** `<hostname>.<zone>` of its first network's DNS zone, else null. */
  fqdn: string | null;
}

/**
 * Reads an appliance's groups and networks. `firstAddress` stands in for `status.address` when the
 * caller knows the address better (a start that is placing it has it before the status does).
 */
export async function applianceConfigInputs(lookup: ConfigLookup, a: Appliance, firstAddress: string | null = a.status.address): Promise<ApplianceConfigInputs> {
  const groups: ConfigGroup[] = [];
  for (const name of a.spec.configGroups ?? []) {
    const g = await lookup.configGroups.getByName(name);
    if (g) groups.push(g);
  }
  const wanted: Array<[string, string | null | undefined, string | null]> = [
    [a.spec.network, firstAddress, a.status.address6 ?? null],
    ...(a.spec.moreNetworks ?? []).map((name, i): [string, string | undefined, string | null] => [name, a.status.moreAddresses?.[i], a.status.moreAddresses6?.[i] ?? null]),
  ];
  const networks: AttachedNetwork[] = [];
  for (const [name, address, address6] of wanted) {
    const network = address || address6 ? await lookup.networks.getByName(name) : undefined;
    if (network) networks.push({ network, address: address ?? null, address6 });
  }
  const zone = networks[0]?.network.name === a.spec.network ? (networks[0].network.spec.dns?.zone ?? null) : null;
  return { groups, networks, fqdn: zone === null ? null : fqdnOf(a.spec.hostname, zone) };
}
