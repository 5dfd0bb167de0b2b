import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';

/**
 * The hosts, for the appliance pages' host filter and host names: a host is a resource that hangs
 * off no other (its type is `physical`, like the servers it may boot, which hang off it). A
 * machine room has few, so one page of that type holds them; the appliances themselves are
 * always filtered by the server.
 */
export function useHosts() {
  return useQuery({
    queryKey: ['resources', 'hosts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/resources', { params: { query: { type: 'physical', limit: 1000 } } })).items.filter((r) => r.spec.hostId === null),
  });
}

/** Where an appliance runs or last ran, else what it asks for: the rule the API's filter uses. */
export const virtualizationOf = (a: Appliance): string => a.status.virtualization ?? a.spec.requirements.virtualization;
