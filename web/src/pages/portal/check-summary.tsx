import { Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';
import { CheckStateBadge } from '../../components/check-state-badge.tsx';

/**
 * The health checks of one of my appliances, one badge per check with its latest state (asked
 * only for an appliance that has checks; its events keep the answer fresh).
 */
export function CheckSummary({ appliance }: { appliance: Appliance }) {
  const has = (appliance.spec.checks ?? []).length > 0;
  const checks = useQuery({
    queryKey: ['appliances', appliance.id, 'checks'],
    enabled: has,
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}/checks', { params: { path: { id: appliance.id } } })),
  });
  if (!has) return <Text size="sm" c="dimmed">—</Text>;
  if (!checks.data) return <Text size="sm" c="dimmed">…</Text>;
  return (
    <Group gap={4} data-testid="check-summary">
      {checks.data.checks.map((c) => {
        const r = checks.data.results.find((x) => x.check === c.name);
        return r ? <CheckStateBadge key={c.name} label={c.name} state={r.state} type={r.type} /> : <Text key={c.name} size="xs" c="dimmed">{c.name}: not run yet</Text>;
      })}
    </Group>
  );
}
