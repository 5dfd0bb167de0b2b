import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { ApplianceAccess } from './appliance-access.tsx';
import { showTime } from './local-time.ts';
import { RequestActions } from './request-actions.tsx';
import { requestTimeline } from './request-timeline.ts';
import { RequestTimelineView } from './request-timeline-view.tsx';
import { useProductName } from './use-products.ts';

/**
 * One of my requests: where it stands and how it got there (the timeline), what I can do with it,
 * and, once its appliances run, how to reach them. All of it follows the event stream.
 */
export default function RequestPage() {
  const { id = '' } = useParams();
  const productName = useProductName();
  const request = useQuery({
    queryKey: ['requests', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/cloud/requests/{id}', { params: { path: { id } } })),
  });
  const appliances = useQuery({
    queryKey: ['appliances', 'of-request', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/cloud/requests/{id}/appliances', { params: { path: { id } } })).items,
    enabled: request.isSuccess,
  });
  // Its events add what changes no state (a pause asked for, an extension); the user gets only their own.
  const events = useQuery({
    queryKey: ['requests', id, 'events'],
    queryFn: async () => unwrap(await api.GET('/api/v1/events', { params: { query: { kind: 'request', objectId: id, limit: 1000 } } })).items,
    enabled: request.isSuccess,
  });
  if (request.error) return <Alert color="red" role="alert" title="Cannot show this request">{errorText(request.error)}</Alert>;
  const r = request.data;
  if (!r) return <Text>Loading…</Text>;
  return (
    <Stack>
      <Anchor component={Link} to="/portal/requests" size="sm">← My requests</Anchor>
      <Group justify="space-between" align="start">
        <Group gap="sm">
          <Title order={1} size="h2">{r.name}</Title>
          <span data-testid="request-state"><PhaseBadge phase={r.status.state} /></span>
        </Group>
        <RequestActions request={r} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">The order</Title>
            <Stack gap={2}>
              <Text size="sm"><b>Product:</b> {productName(r.spec.productId)}, size {r.spec.size}, {r.spec.quantity} × {r.spec.virtualization}{r.spec.ha ? ', HA' : ''}</Text>
              <Text size="sm"><b>Window:</b> {showTime(r.spec.startAt)} – <span data-testid="request-end">{showTime(r.spec.endAt)}</span></Text>
              <Text size="sm"><b>Price:</b> {r.status.ccuPerHour} CCU per hour</Text>
              {r.status.activeSince && <Text size="sm"><b>Active since:</b> {showTime(r.status.activeSince)}</Text>}
            </Stack>
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">Access</Title>
            {appliances.error && <Alert color="red" role="alert">{errorText(appliances.error)}</Alert>}
            {(appliances.data ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">{r.status.state === 'done' || r.status.state === 'denied' ? 'Nothing of this request runs any more.' : 'Its appliances appear here once they are made.'}</Text>
            ) : (
              <Stack gap="sm">{appliances.data?.map((a) => <ApplianceAccess key={a.id} appliance={a} />)}</Stack>
            )}
          </Card>
        </Stack>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">Lifecycle</Title>
          <RequestTimelineView steps={requestTimeline(r, events.data ?? [])} />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
