import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/client.ts';

/**
 * The name of an object a row only knows by id (a request's owner and product). Each id is read
 * once and cached under its collection, so a page of fifty requests by three users asks three
 * times, and a rename shows live.
 */
export function useUser(id: string | null | undefined) {
  return useQuery({
    queryKey: ['users', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export function useProduct(id: string | null | undefined) {
  return useQuery({
    queryKey: ['products', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/products/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export function useGroup(id: string | null | undefined) {
  return useQuery({
    queryKey: ['groups', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/groups/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export function UserLink({ id }: { id: string }) {
  const user = useUser(id);
  return <Anchor component={Link} to={`/admin/users/${id}`} underline="always">{user.data?.name ?? id.slice(-8)}</Anchor>;
}

export function ProductName({ id }: { id: string }) {
  const product = useProduct(id);
  return <Text span inherit>{product.data?.name ?? id.slice(-8)}</Text>;
}

export function GroupName({ id }: { id: string | null }) {
  const group = useGroup(id);
  if (!id) return <Text span inherit c="dimmed">none</Text>;
  return <Text span inherit>{group.data?.name ?? id.slice(-8)}</Text>;
}

/** A time as people read it here, in their own time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
