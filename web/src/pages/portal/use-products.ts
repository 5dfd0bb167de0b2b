import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';

/** The products a cloud user may order (the enabled ones), by id, for showing names. */
export function useProducts() {
  return useQuery({
    queryKey: ['products', 'on-offer'],
    queryFn: async () => unwrap(await api.GET('/api/v1/products', { params: { query: { limit: 200 } } })).items,
  });
}

export function useProductName(): (id: string) => string {
  const products = useProducts();
  return (id) => products.data?.find((p) => p.id === id)?.name ?? 'a product no longer on offer';
}
