import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';
import type { Resource } from './inventory-types.ts';

/**
 * Every host, for names and choices (which host boots a server, a slot's host filter). Hosts
 * are few (one per machine with an agent), so one page of the largest size holds them; the
 * key under 'resources' keeps it live.
 */
export function useHosts(): { hosts: Resource[]; byId: Map<string, Resource>; isPending: boolean } {
  const q = useQuery({
    queryKey: ['resources', 'hosts', 'lookup'],
    queryFn: async () => unwrap(await api.GET('/api/v1/resources', { params: { query: { role: 'host', limit: 1000 } } })),
  });
  const hosts = q.data?.items ?? [];
  return { hosts, byId: new Map(hosts.map((h) => [h.id, h])), isPending: q.isPending };
}
