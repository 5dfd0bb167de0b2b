import { Anchor, Button, Group, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { showTime } from './local-time.ts';
import type { CloudRequest, RequestState } from './portal-types.ts';
import { useProductName } from './use-products.ts';
import { StateBadge } from './whole-badge.tsx';

const STATES: RequestState[] = ['new', 'approved', 'provisioning', 'active', 'paused', 'deprovisioning', 'done', 'denied', 'failed', 'no-capacity'];

/** My requests: what I ordered and where each one stands; the server narrows the list to mine. */
export default function RequestsPage() {
  const productName = useProductName();
  const columns: Column<CloudRequest>[] = [
    { header: 'Request', cell: (r) => <Anchor component={Link} to={`/portal/requests/${r.id}`}>{r.name}</Anchor> },
    { header: 'State', cell: (r) => <StateBadge phase={r.status.state} /> },
    { header: 'Order', cell: (r) => `${r.spec.quantity} × ${productName(r.spec.productId)} ${r.spec.size}` },
    { header: 'Window', cell: (r) => `${showTime(r.spec.startAt)} – ${showTime(r.spec.endAt)}`, wide: true },
    { header: 'CCU/h', cell: (r) => r.status.ccuPerHour, wide: true },
    { header: 'Why', cell: (r) => r.status.reason ?? '', wide: true },
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">My requests</Title>
        <Button component={Link} to="/portal/order">Order</Button>
      </Group>
      <ServerTable<CloudRequest>
        queryKey={['requests', 'mine']}
        caption="My requests, 50 per page"
        rowKey={(r) => r.id}
        columns={columns}
        filters={[{ name: 'state', label: 'State', options: STATES.map((s) => ({ value: s, label: s })) }]}
        empty="No requests yet. Order an appliance to get one."
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/cloud/requests', { params: { query: { cursor, limit, state: filters.state as RequestState | undefined } } }))}
      />
    </Stack>
  );
}
