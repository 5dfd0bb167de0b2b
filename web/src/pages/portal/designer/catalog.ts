import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema';
import { usePrincipal } from '../../../session/session-context.tsx';
import { STACK_DEFAULTS } from '../../../../../src/domain/stack.ts';

export type Product = paths['/api/v1/products/{id}']['get']['responses']['200']['content']['application/json'];
export type Size = Product['spec']['sizes'][number];

/** What the palette offers: products (with their sizes and, where the caller may read it, image), networks. */
export interface Catalog {
  products: Product[];
  /** Image names by id; only admins may read images, so a cloud user's is empty. */
  imageNames: Map<string, string>;
  networks: string[];
  byName: Map<string, Product>;
  loading: boolean;
  error: unknown;
}

/** Enough for one designer: a catalog longer than this is a catalog nobody drags from. */
const LIMIT = 500;

/**
 * The catalog a stack can be built from. Cloud users see the enabled products and join the
 * default network (the stack routes refuse any other for them); admins see every product, the
 * networks and the images' names.
 */
export function useCatalog(): Catalog {
  const admin = usePrincipal().role === 'admin';
  const products = useQuery({
    queryKey: ['products', 'designer'],
    queryFn: async () => unwrap(await api.GET('/api/v1/products', { params: { query: { limit: LIMIT } } })).items,
  });
  const networks = useQuery({
    queryKey: ['networks', 'designer'],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks', { params: { query: { limit: LIMIT } } })).items.map((n) => n.name),
    enabled: admin,
  });
  const images = useQuery({
    queryKey: ['images', 'designer'],
    queryFn: async () => unwrap(await api.GET('/api/v1/images', { params: { query: { limit: LIMIT } } })).items,
    enabled: admin,
  });
  const list = products.data ?? [];
  return {
    products: list,
    imageNames: new Map((images.data ?? []).map((i) => [i.id, i.name])),
    networks: admin ? (networks.data ?? []) : [STACK_DEFAULTS.network],
    byName: new Map(list.map((p) => [p.name, p])),
    loading: products.isPending || (admin && networks.isPending),
    error: products.error ?? networks.error ?? images.error,
  };
}

export function sizeLabel(s: Size): string {
  return `${s.name}: ${s.cpu} CPU, ${s.memoryMiB} MiB${s.diskMiB > 0 ? `, ${s.diskMiB} MiB disk` : ''}`;
}
