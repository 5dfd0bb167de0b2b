import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/client.ts';

/**
 * The appliance a slot or server holds, by name, linked to its page. It reads the appliance
 * under the same key as that page, so the two share one cached copy (kept live by appliance
 * events).
 */
export function ApplianceLink({ id }: { id: string | null }) {
  const appliance = useQuery({
    queryKey: ['appliances', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}', { params: { path: { id: id as string } } })),
    enabled: id !== null,
  });
  if (id === null) return <Text size="sm" c="dimmed">—</Text>;
  return <Anchor component={Link} to={`/admin/appliances/${id}`} size="sm">{appliance.data?.name ?? `…${id.slice(-8)}`}</Anchor>;
}
