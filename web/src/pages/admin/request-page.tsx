import { Alert, Anchor, Card, Group, List, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { CloudRequest, Mail } from './cloud/cloud-types.ts';
import { DecisionDialog, type Decision } from './cloud/decision-dialog.tsx';
import { ProductName, UserLink, when } from './cloud/object-names.tsx';
import { StateCell } from './cloud/state-cell.tsx';
import { RequestActions, waitsForDecision } from './cloud/request-actions.tsx';

const HOUR_MS = 3_600_000;

const mailColumns: Column<Mail>[] = [
  { header: 'Queued', cell: (m) => when(m.createdAt) },
  { header: 'Subject', cell: (m) => m.subject },
  { header: 'State', cell: (m) => <StateCell state={m.state} /> },
];

/** One request: what was ordered, who decided, its way through the lifecycle, and what it sent. */
export default function RequestPage() {
  const { id = '' } = useParams();
  const [decision, setDecision] = useState<Decision | null>(null);
  const request = useQuery({
    queryKey: ['requests', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/cloud/requests/{id}', { params: { path: { id } } })),
  });
  if (request.error) return <Alert color="red" role="alert">{errorText(request.error)}</Alert>;
  const r = request.data;
  if (!r) return <Text>Loading…</Text>;
  const hours = (Date.parse(r.spec.endAt) - Date.parse(r.spec.startAt)) / HOUR_MS;
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={1} size="h2">{r.name}</Title>
          <span data-testid="request-state"><PhaseBadge phase={r.status.state} /></span>
        </Group>
        <RequestActions request={r} onDecide={setDecision} size="sm" />
      </Group>
      {waitsForDecision(r) && <Alert color="blue" title="Waiting for approval">Its cost is above the auto-approval limit: an admin decides.</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">Order</Title>
          <Stack gap={4}>
            <Text size="sm"><b>Owner:</b> <UserLink id={r.spec.ownerId} /></Text>
            <Text size="sm"><b>Product:</b> <ProductName id={r.spec.productId} />, size {r.spec.size} × {r.spec.quantity}</Text>
            <Text size="sm"><b>Virtualization:</b> {r.spec.virtualization}{r.spec.ha ? ', with HA' : ''}</Text>
            <Text size="sm"><b>Window:</b> {when(r.spec.startAt)} – {when(r.spec.endAt)} ({Math.round(hours * 10) / 10} h)</Text>
            <Text size="sm"><b>Price:</b> {r.status.ccuPerHour} CCU/h, about {Math.round(r.status.ccuPerHour * hours * 1000) / 1000} CCU for the window</Text>
            {r.status.login && <Text size="sm"><b>Login:</b> {r.status.login.user} ({r.status.login.method})</Text>}
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">Decision</Title>
          <DecisionText request={r} />
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">Lifecycle</Title>
        <Lifecycle request={r} />
      </Card>
      {r.status.applianceIds.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">Appliances</Title>
          <List size="sm">
            {r.status.applianceIds.map((a) => <List.Item key={a}><Anchor component={Link} to={`/admin/appliances/${a}`}>{a}</Anchor></List.Item>)}
          </List>
        </Card>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">Mails about it</Title>
        <ServerTable<Mail>
          queryKey={['mails', 'request', r.id]}
          caption={`Mails about request ${r.name}`}
          rowKey={(m) => m.id}
          columns={mailColumns}
          empty="No mail yet."
          fetchPage={async ({ cursor, limit }) => unwrap(await api.GET('/api/v1/mails', { params: { query: { cursor, limit, relatedKind: 'request', relatedId: r.id } } }))}
        />
      </Card>
      <DecisionDialog decision={decision} onClose={() => setDecision(null)} />
    </Stack>
  );
}

function DecisionText({ request: r }: { request: CloudRequest }) {
  const d = r.spec.decision;
  if (!d) {
    if (r.status.state === 'new') return <Text size="sm" data-testid="decision">Not decided yet.</Text>;
    return <Text size="sm" data-testid="decision">{r.status.reason ?? 'Decided by policy.'}</Text>;
  }
  return (
    <Stack gap={4} data-testid="decision">
      <Text size="sm"><b>{d.approved ? 'Approved' : 'Denied'}</b> by {d.by === 'policy' ? 'policy' : <UserLink id={d.by} />} on {when(d.at)}</Text>
      <Text size="sm"><b>Comment:</b> {d.comment || <Text span c="dimmed" inherit>none</Text>}</Text>
    </Stack>
  );
}

/** Submitted, then every state the request entered, with why. */
function Lifecycle({ request: r }: { request: CloudRequest }) {
  const steps = [{ state: 'submitted', at: r.createdAt, reason: null as string | null }, ...r.status.history];
  return (
    <Timeline active={steps.length - 1} bulletSize={14} lineWidth={2} data-testid="lifecycle">
      {steps.map((s, i) => (
        <Timeline.Item key={`${s.state}-${s.at}-${i}`} title={s.state}>
          <Text size="xs" c="dimmed">{when(s.at)}</Text>
          {s.reason && <Text size="sm">{s.reason}</Text>}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
