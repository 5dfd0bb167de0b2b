import { Badge, Table, Text } from '@mantine/core';
import type { Resource } from '../inventory/inventory-types.ts';

const COLOR: Record<string, string> = { live: 'teal', expired: 'yellow', unresponsive: 'orange', fencing: 'orange', 'fence-failed': 'red', fenced: 'gray' };

/**
 * Every host with its lease and fencing state as the failure detector keeps it: the state, the
 * fencing epoch, and what it waits for. A host without a lease yet shows whether its heartbeat
 * holds.
 */
export function HostLeases({ hosts }: { hosts: Resource[] }) {
  if (hosts.length === 0) return <Text c="dimmed">No hosts.</Text>;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table data-testid="host-leases">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Host</Table.Th>
            <Table.Th>Lease</Table.Th>
            <Table.Th>Epoch</Table.Th>
            <Table.Th>Waiting for</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hosts.map((h) => {
            const lease = h.status.lease;
            const state = lease?.state ?? (h.status.state === 'active' ? 'live' : h.status.state);
            return (
              <Table.Tr key={h.id}>
                <Table.Td>{h.name}</Table.Td>
                <Table.Td>
                  <Badge color={COLOR[state] ?? 'gray'} variant="light">{state}</Badge>
                  {lease?.fencedBy && <Text span size="xs" ml="xs">fenced by {lease.fencedBy}</Text>}
                </Table.Td>
                <Table.Td>{lease?.epoch ?? '—'}</Table.Td>
                <Table.Td>{lease?.waitingFor ?? '—'}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
