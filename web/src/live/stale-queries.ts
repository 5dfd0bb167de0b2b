/** An event as the stream sends it (see docs/events.md for every type and its data). */
export interface LiveEvent {
  seq: number;
  id: string;
  time: string;
  type: string;
  kind: string;
  objectId: string;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Which cached queries an event makes stale, by the first element of their query key. Query keys
 * in this app start with the resource's API collection name ('appliances', 'requests', …), so a
 * page that adds a query under an existing root is live without touching this table.
 */
const ROOTS_BY_KIND: Record<string, readonly string[]> = {
  // An appliance's configuration runs show on its groups' pages.
  appliance: ['appliances', 'dashboard', 'resources', 'capacity', 'ha', 'config-groups', 'power'],
  resource: ['resources', 'hosts', 'dashboard', 'capacity', 'ha', 'power'],
  kernel: ['kernels'],
  image: ['images'],
  storage: ['storages'],
  network: ['networks'],
  user: ['users', 'tokens', 'me'],
  group: ['groups'],
  product: ['products', 'config-groups'],
  'config-group': ['config-groups'],
  request: ['requests', 'appliances', 'ccu', 'quotas', 'dashboard'],
  billing: ['ccu', 'dashboard'],
  mail: ['mails'],
  'join-token': ['join-tokens'],
  stack: ['stacks', 'requests', 'appliances'],
  quota: ['quotas'],
  ha: ['ha', 'dashboard'],
};

export function staleQueryRoots(e: Pick<LiveEvent, 'kind' | 'type'>): readonly string[] {
  const byKind = ROOTS_BY_KIND[e.kind] ?? [];
  // Quota changes are filed under the subject (user or group) they limit.
  return e.type.startsWith('quota.') ? [...byKind, 'quotas'] : byKind;
}

/**
 * The cached queries of an object a `.deleted` event says is gone ([collection, id], and every key
 * under it). They are dropped rather than refetched: asking for a deleted object only answers 404,
 * and a page still showing it is on its way out.
 */
export function goneQueryKey(e: Pick<LiveEvent, 'kind' | 'type' | 'objectId'>): readonly string[] | undefined {
  const collection = ROOTS_BY_KIND[e.kind]?.[0];
  return e.type.endsWith('.deleted') && collection && e.objectId ? [collection, e.objectId] : undefined;
}
