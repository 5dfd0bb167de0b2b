import type { Appliance } from '../domain/appliance.ts';
import type { Image } from '../domain/image.ts';
import type { Kernel } from '../domain/kernel.ts';
import type { Network } from '../domain/network.ts';
import type { Resource } from '../domain/resource.ts';
import type { Storage } from '../domain/storage.ts';
import type { Group, User } from '../domain/user.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import type { Product } from '../domain/product.ts';
import type { ConfigGroup } from '../domain/config-group.ts';
import type { StoredObject, TableCodec } from './object-repo.ts';

/** One codec per kind: which fields are copied into columns for filtering. */

export const resourceCodec: TableCodec<Resource> = {
  table: 'resources',
  kind: 'resource',
  extraColumns: (r) => ({ type: r.spec.type, host_id: r.spec.hostId }),
  fromRow: (core) => core as Resource,
  filters: { type: 'type', hostId: 'host_id', name: 'name' },
  // What a resource is to an operator (src/domain/host.ts): a host runs an agent and boots
  // nobody else's; a server is a physical machine a host network-boots; a slot is a VM or a
  // container placed on a host.
  choices: {
    role: {
      host: [['type', '=', 'physical'], ['host_id', 'is', null]],
      server: [['type', '=', 'physical'], ['host_id', 'is not', null]],
      slot: [['type', 'in', ['vm', 'container']]],
    },
  },
};

export const applianceCodec: TableCodec<Appliance> = {
  table: 'appliances',
  kind: 'appliance',
  extraColumns: (a) => ({
    owner_id: a.spec.ownerId,
    image_id: a.spec.imageId,
    host_id: a.status.hostId,
    phase: a.status.phase,
    virtualization: applianceVirtualization(a),
    deletion_requested_at: a.deletionRequestedAt,
    finalizers: JSON.stringify(a.finalizers),
  }),
  fromRow: (core, row) =>
    ({
      ...(core as Omit<Appliance, 'deletionRequestedAt' | 'finalizers'>),
      deletionRequestedAt: (row.deletion_requested_at as string | null) ?? null,
      finalizers: JSON.parse(row.finalizers as string) as string[],
    }) as Appliance,
  filters: { phase: 'phase', hostId: 'host_id', imageId: 'image_id', name: 'name', ownerId: 'owner_id', virtualization: 'virtualization' },
};

/** The virtualization a list filters appliances by: where it runs or last ran, else what it asks for. */
export function applianceVirtualization(a: Appliance): string | null {
  const wanted = a.spec.requirements.virtualization;
  return a.status.virtualization ?? (wanted === 'any' ? null : wanted);
}

export const imageCodec: TableCodec<Image> = {
  table: 'images',
  kind: 'image',
  extraColumns: (i) => ({ storage_id: i.spec.storageId, format: i.spec.format, parent_id: i.spec.parentId }),
  fromRow: (core) => core as Image,
  filters: { storageId: 'storage_id', format: 'format', parentId: 'parent_id', name: 'name' },
};

const plain = <T extends StoredObject>(table: TableCodec<T>['table'], kind: string): TableCodec<T> => ({
  table,
  kind,
  extraColumns: () => ({}),
  fromRow: (core) => core as T,
  filters: { name: 'name' },
});

export const kernelCodec = plain<Kernel>('kernels', 'kernel');
export const storageCodec = plain<Storage>('storages', 'storage');
export const networkCodec = plain<Network>('networks', 'network');

export const userCodec: TableCodec<User> = {
  table: 'users',
  kind: 'user',
  extraColumns: (u) => ({ role: u.spec.role, group_id: u.spec.groupId }),
  fromRow: (core) => core as User,
  filters: { name: 'name', role: 'role', groupId: 'group_id' },
};

export const groupCodec = plain<Group>('groups', 'group');

export const productCodec = plain<Product>('products', 'product');

export const configGroupCodec = plain<ConfigGroup>('config_groups', 'config-group');

export const requestCodec: TableCodec<CloudRequest> = {
  table: 'cloud_requests',
  kind: 'request',
  extraColumns: (r) => ({ owner_id: r.spec.ownerId, state: r.status.state }),
  fromRow: (core) => core as CloudRequest,
  filters: { name: 'name', ownerId: 'owner_id', state: 'state' },
};
