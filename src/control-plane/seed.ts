import { freshMeta } from '../domain/meta.ts';
import { firstHost, parseCidr } from '../network/ipam.ts';
import type { Store } from '../store/store.ts';

/**
 * Makes sure the objects that come from configuration exist: the `local` storage and the
 * `default` network. Idempotent; a changed configuration updates them.
 */
export async function seedConfiguredObjects(
  store: Store,
  cfg: { storagePath: string; networkBridge: string; networkCidr: string },
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
    const spec = { bridge: cfg.networkBridge, cidr: cfg.networkCidr, gateway: firstHost(cfg.networkCidr) };
    let network = await tx.networks.getByName('default');
    if (!network) {
      network = { ...freshMeta(store.ids.next(), 'default', store.clock.now()), spec, status: {} };
      await tx.networks.insert(network);
      await tx.emit({ type: 'network.created', kind: 'network', objectId: network.id, message: `network default ${spec.cidr} on ${spec.bridge}`, data: spec });
    } else if (JSON.stringify(network.spec) !== JSON.stringify(spec)) {
      await tx.networks.update({ ...network, spec }, store.clock.now(), true);
      await tx.emit({ type: 'network.updated', kind: 'network', objectId: network.id, message: `network default is now ${spec.cidr} on ${spec.bridge}`, data: spec });
    }
    return { storageId: storage.id, networkId: network.id };
  });
}
