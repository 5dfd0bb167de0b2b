import type { BootNetwork } from '../boot/boot-network.ts';
import { freshMeta } from '../domain/meta.ts';
import { DEFAULT_DNS_ZONE, publicNetworkSpec, type NetworkSpec } from '../domain/network.ts';
import { firstHost, parseCidr } from '../network/ipam.ts';
import type { Repos, Store } from '../store/store.ts';

/**
 * Makes sure the objects that come from configuration exist: the `local` storage, the `default`
 * network (its names in the embedded DNS zone `fleetyard.internal` at first) and one network per boot network (its appliances' addresses come from the same IPAM,
 * with the boot server's address as the gateway and the discovery range excluded). Idempotent;
 * a changed configuration updates them.
 */
export async function seedConfiguredObjects(
  store: Store,
  cfg: { storagePath: string; networkBridge: string; networkCidr: string; bootNetworks?: readonly BootNetwork[] },
): Promise<{ storageId: string; networkId: string }> {
  parseCidr(cfg.networkCidr);
  return store.transaction(async (tx) => {
    let storage = await tx.storages.getByName('local');
    if (!storage) {
      storage = {
        ...freshMeta(store.ids.next(), 'local', store.clock.now()),
        spec: { type: 'local', path: cfg.storagePath },
        status: { imageCount: 0 },
      };
      await tx.storages.insert(storage);
      await tx.emit({ type: 'storage.created', kind: 'storage', objectId: storage.id, message: `storage local at ${cfg.storagePath}`, data: {} });
    }
    const networkId = await seedNetwork(store, tx, 'default', {
      bridge: cfg.networkBridge,
      cidr: cfg.networkCidr,
      gateway: firstHost(cfg.networkCidr),
      excluded: [],
    }, { dns: { backend: 'embedded', zone: DEFAULT_DNS_ZONE } });
    for (const boot of cfg.bootNetworks ?? []) {
      const { network } = parseCidr(`${boot.serverAddress}/${boot.prefixLength}`);
      await seedNetwork(store, tx, boot.name, {
        bridge: boot.bridge,
        cidr: `${network}/${boot.prefixLength}`,
        gateway: boot.serverAddress,
        excluded: boot.discoveryRange ? [boot.discoveryRange] : [],
      });
    }
    return { storageId: storage.id, networkId };
  });
}

/**
 * The configuration owns a configured network's bridge and IPv4 pool; what an admin set through
 * the API beside them (IPv6 pool, DNS, MTU, spanning hosts) is kept. `initial` holds what the
 * configuration gives only a network it makes (the `default` network's DNS zone).
 */
async function seedNetwork(
  store: Store,
  tx: Repos,
  name: string,
  configured: Pick<NetworkSpec, 'bridge' | 'cidr' | 'gateway' | 'excluded'>,
  initial: Partial<NetworkSpec> = {},
): Promise<string> {
  const network = await tx.networks.getByName(name);
  // A network made before DNS existed has no `dns` at all: it gets the initial zone once.
  const firstDns = network === undefined || network.spec.dns === undefined ? initial : {};
  const spec: NetworkSpec = { ...firstDns, ...network?.spec, ...configured, origin: 'configuration' };
  if (!network) {
    const created = { ...freshMeta(store.ids.next(), name, store.clock.now()), spec, status: {} };
    await tx.networks.insert(created);
    await tx.emit({ type: 'network.created', kind: 'network', objectId: created.id, message: `network ${name} ${spec.cidr} on ${spec.bridge} from the configuration`, data: publicNetworkSpec(spec) });
    return created.id;
  }
  if (JSON.stringify(network.spec) !== JSON.stringify(spec)) {
    await tx.networks.update({ ...network, spec }, store.clock.now(), true);
    await tx.emit({ type: 'network.updated', kind: 'network', objectId: network.id, message: `network ${name} is now ${spec.cidr} on ${spec.bridge} (from the configuration)`, data: publicNetworkSpec(spec) });
  }
  return network.id;
}
