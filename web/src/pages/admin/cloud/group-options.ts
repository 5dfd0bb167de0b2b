import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';

/** Groups to pick from in a form (a picker, not a list: the first 1000 by creation). */
export function useGroupOptions() {
  const groups = useQuery({
    queryKey: ['groups', 'options'],
    queryFn: async () => unwrap(await api.GET('/api/v1/groups', { params: { query: { limit: 1000 } } })),
  });
  return { options: (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name })), loading: groups.isPending };
}
