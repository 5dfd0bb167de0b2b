import { Badge, Text } from '@mantine/core';
import { api, unwrap } from '../../../api/client.ts';
import { ServerTable, type Column } from '../../../components/server-table.tsx';
import { ApplianceLink } from './appliance-link.tsx';
import { formatCapacity } from './format.ts';
import type { Resource } from './inventory-types.ts';
import { useHosts } from './use-hosts.ts';

/**
 * What runs where: the VMs and containers placed on hosts (a slot is made when an appliance is
 * placed and given back when it stops), each with its appliance and address.
 */
export function SlotsTable() {
  const { hosts, byId } = useHosts();
  const columns: Column<Resource>[] = [
    { header: 'Appliance', cell: (s) => <ApplianceLink id={s.status.applianceId} /> },
    { header: 'Type', cell: (s) => <Badge variant="default" size="sm" miw="max-content">{s.spec.labels['fleetyard.io/virtualization'] ?? s.spec.type}</Badge> },
    { header: 'Host', cell: (s) => (s.spec.hostId ? byId.get(s.spec.hostId)?.name ?? s.spec.hostId : '—') },
    { header: 'Address', cell: (s) => s.status.address ?? '—', wide: true },
    { header: 'Size', cell: (s) => formatCapacity(s.spec.capacity), wide: true },
    { header: 'Slot', cell: (s) => <Text size="sm" c="dimmed">{s.name}</Text>, wide: true },
  ];
  return (
    <ServerTable<Resource>
      queryKey={['resources', 'slots']}
      caption="Slots: VMs and containers placed on hosts"
      rowKey={(s) => s.id}
      columns={columns}
      filters={[
        { name: 'slotHost', label: 'On host', options: hosts.map((h) => ({ value: h.id, label: h.name })) },
        { name: 'slotType', label: 'Type', options: [{ value: 'container', label: 'container' }, { value: 'vm', label: 'vm' }] },
      ]}
      fetchPage={async ({ cursor, limit, filters }) =>
        unwrap(await api.GET('/api/v1/resources', { params: { query: { cursor, limit, role: 'slot', hostId: filters.slotHost, type: filters.slotType } } }))}
      empty="Nothing is placed on a host right now."
    />
  );
}
