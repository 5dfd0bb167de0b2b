import { Badge, Group, Text } from '@mantine/core';
import { formatLabels } from '../../../../../src/domain/placement-constraints.ts';
import { api, unwrap } from '../../../api/client.ts';
import { ServerTable, type Column } from '../../../components/server-table.tsx';
import { formatCapacity, formatTime } from './format.ts';
import type { Resource } from './inventory-types.ts';
import { ResourceStateBadge } from './resource-badges.tsx';

const fact = (h: Resource, key: string) => {
  const v = h.status.facts[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '—';
};

const columns: Column<Resource>[] = [
  { header: 'Name', cell: (h) => <Text fw={500} size="sm">{h.name}</Text> },
  { header: 'State', cell: (h) => <ResourceStateBadge state={h.status.state} /> },
  // Heartbeats renew the lease without an event, so this is the time of the last change seen.
  { header: 'Last heartbeat', cell: (h) => formatTime(h.status.lastHeartbeatAt) },
  {
    header: 'Drivers',
    cell: (h) => (
      <Group gap={4}>
        {h.spec.virtualizations.map((v) => <Badge key={v} variant="default" size="sm" miw="max-content">{v}</Badge>)}
      </Group>
    ),
  },
  { header: 'Capacity', cell: (h) => formatCapacity(h.spec.capacity), wide: true },
  // What appliances' placement constraints select hosts by (fleetyard host label).
  { header: 'Labels', cell: (h) => <Text size="sm" data-testid="host-labels">{formatLabels(h.spec.labels) || '—'}</Text>, wide: true },
  { header: 'Agent', cell: (h) => fact(h, 'agentVersion'), wide: true },
  { header: 'Kernel', cell: (h) => fact(h, 'kernel'), wide: true },
];

/** Machines running the Fleetyard agent: what they offer and whether they are heard from. */
export function HostsTable() {
  return (
    <ServerTable<Resource>
      queryKey={['resources', 'hosts']}
      caption="Hosts: machines running the Fleetyard agent"
      rowKey={(h) => h.id}
      columns={columns}
      filters={[{ name: 'hostName', label: 'Host name' }]}
      fetchPage={async ({ cursor, limit, filters }) =>
        unwrap(await api.GET('/api/v1/resources', { params: { query: { cursor, limit, role: 'host', name: filters.hostName } } }))}
      empty="No host has registered yet."
    />
  );
}
