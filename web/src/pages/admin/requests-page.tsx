import { Anchor, Badge, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { REQUEST_STATES, type CloudRequest, type RequestState } from './cloud/cloud-types.ts';
import { DecisionDialog, type Decision } from './cloud/decision-dialog.tsx';
import { ProductName, UserLink, when } from './cloud/object-names.tsx';
import { RequestActions } from './cloud/request-actions.tsx';
import { StateCell } from './cloud/state-cell.tsx';

type View = 'waiting' | 'all';

async function requestPage(q: { cursor?: string; limit: number; filters: Record<string, string> }, state: RequestState | undefined) {
  return unwrap(await api.GET('/api/v1/cloud/requests', { params: { query: { cursor: q.cursor, limit: q.limit, owner: q.filters.owner, state } } }));
}

/**
 * Every cloud request, and first those that wait for an admin: a request whose whole-window
 * cost is above the auto-approval limit stays `new` until someone approves or denies it. The
 * count and the lists follow the event stream, so a new request shows up as it is submitted.
 */
export default function RequestsPage() {
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'all' ? 'all' : 'waiting';
  const [decision, setDecision] = useState<Decision | null>(null);
  const counts = useQuery({
    queryKey: ['requests', 'counts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/cloud/requests/counts')),
  });
  const waiting = counts.data?.byState.new;
  const columns: Column<CloudRequest>[] = [
    { header: 'Request', cell: (r) => <Anchor component={Link} to={`/admin/requests/${r.id}`} style={{ whiteSpace: 'nowrap' }}>{r.name}</Anchor> },
    { header: 'Owner', cell: (r) => <UserLink id={r.spec.ownerId} /> },
    { header: 'Product', cell: (r) => <><ProductName id={r.spec.productId} /> · {r.spec.size} × {r.spec.quantity}</>, wide: true },
    { header: 'Window', cell: (r) => `${when(r.spec.startAt)} – ${when(r.spec.endAt)}`, wide: true },
    { header: 'CCU/h', cell: (r) => r.status.ccuPerHour, wide: true },
    { header: 'State', cell: (r) => <StateCell state={r.status.state} /> },
    { header: 'Decision', cell: (r) => <RequestActions request={r} onDecide={setDecision} /> },
  ];
  const setView = (v: string | null) => {
    const next = new URLSearchParams(params);
    if (v === 'all') next.set('view', 'all');
    else next.delete('view');
    setParams(next, { replace: true });
  };
  return (
    <Stack>
      <Title order={1} size="h2">Cloud requests</Title>
      <Tabs value={view} onChange={setView} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab
            value="waiting"
            rightSection={<Badge size="sm" circle={false} color={waiting ? 'blue' : 'gray'} data-testid="waiting-count">{waiting ?? '…'}</Badge>}
          >
            Waiting for approval
          </Tabs.Tab>
          <Tabs.Tab value="all">All requests</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="waiting" pt="md">
          <Text size="sm" c="dimmed" mb="sm">
            Requests above the auto-approval limit wait here until an admin approves or denies them.
          </Text>
          <ServerTable<CloudRequest>
            queryKey={['requests', 'waiting']}
            caption="Requests waiting for approval, 50 per page"
            rowKey={(r) => r.id}
            columns={columns}
            filters={[{ name: 'owner', label: 'Owner (user name)' }]}
            empty="No request waits for approval."
            fetchPage={(q) => requestPage(q, 'new')}
          />
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="md">
          <ServerTable<CloudRequest>
            queryKey={['requests', 'all']}
            caption="Cloud requests, 50 per page"
            rowKey={(r) => r.id}
            columns={columns}
            filters={[
              { name: 'state', label: 'State', options: REQUEST_STATES.map((s) => ({ value: s, label: s })) },
              { name: 'owner', label: 'Owner (user name)' },
            ]}
            empty="No request matches."
            fetchPage={(q) => requestPage(q, q.filters.state as RequestState | undefined)}
          />
        </Tabs.Panel>
      </Tabs>
      <DecisionDialog decision={decision} onClose={() => setDecision(null)} />
    </Stack>
  );
}
