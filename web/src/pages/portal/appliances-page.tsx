import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { loginMethod, SshCommand } from './appliance-access.tsx';
import { CheckSummary } from './check-summary.tsx';
import { StateBadge } from './whole-badge.tsx';

const REQUEST_LABEL = 'fleetyard.io/request';
const PHASES = ['pending', 'starting', 'running', 'stopping', 'stopped', 'failed', 'deleting', 'moving'] as const;
type Phase = (typeof PHASES)[number];

const columns: Column<Appliance>[] = [
  { header: 'Name', cell: (a) => <Text size="sm" fw={600}>{a.name}</Text> },
  { header: 'State', cell: (a) => <StateBadge phase={a.status.phase} /> },
  { header: 'Address', cell: (a) => <span data-testid="address">{a.status.address ?? '—'}</span> },
  { header: 'Health', cell: (a) => <CheckSummary appliance={a} /> },
  { header: 'User', cell: (a) => <span data-testid="login-user">{a.spec.login?.user ?? '—'}</span>, wide: true },
  { header: 'Connect', cell: (a) => <SshCommand appliance={a} /> },
  { header: 'Log in', cell: (a) => <Text size="xs" c="dimmed">{loginMethod(a)}</Text>, wide: true },
  {
    header: 'Request',
    cell: (a) => {
      const id = a.spec.labels[REQUEST_LABEL];
      return id ? <Anchor component={Link} to={`/portal/requests/${id}`} size="sm">its request</Anchor> : '—';
    },
    wide: true,
  },
];

/** My appliances and how to reach them; the server lists only the caller's own. */
export default function AppliancesPage() {
  return (
    <Stack>
      <Title order={1} size="h2">My appliances</Title>
      <ServerTable<Appliance>
        queryKey={['appliances', 'mine']}
        caption="My appliances, 50 per page"
        rowKey={(a) => a.id}
        columns={columns}
        filters={[{ name: 'phase', label: 'State', options: PHASES.map((p) => ({ value: p, label: p })) }]}
        empty="No appliances. They appear here when a request of yours is provisioned."
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/appliances', { params: { query: { cursor, limit, phase: filters.phase as Phase | undefined } } }))}
      />
    </Stack>
  );
}
