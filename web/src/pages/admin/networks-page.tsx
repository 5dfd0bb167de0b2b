import { Anchor, Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { ApiErrorAlert } from './inventory/api-error-alert.tsx';
import { ConfirmModal } from './inventory/confirm-modal.tsx';
import type { Network } from './inventory/inventory-types.ts';
import { NetworkForm } from './inventory/network-form.tsx';

/** "used / size" of each pool, asked per row (the list answers the networks, not their addresses). */
function AddressUseCell({ id }: { id: string }) {
  const use = useQuery({
    queryKey: ['networks', id, 'addresses'],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks/{id}/addresses', { params: { path: { id } } })),
  });
  if (!use.data) return <Text size="sm" c="dimmed">…</Text>;
  const { ipv4, ipv6 } = use.data;
  return (
    <Text size="sm" data-testid="address-use">
      {[ipv4 ? `${ipv4.used} / ${ipv4.size}` : null, ipv6 ? `IPv6 ${ipv6.used} / ${ipv6.size}` : null].filter((t) => t !== null).join(' · ')}
    </Text>
  );
}

/**
 * Networks: the configuration's (`default`, one per boot network) and the ones admins make, with
 * how many addresses each holds. Admins create, change (on the network's page) and delete them;
 * a delete the server refuses (appliances use the network, or the configuration makes it) is
 * shown with the code and the reason it gave.
 */
export default function NetworksPage() {
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<Network | null>(null);
  const remove = useMutation({
    mutationFn: async (n: Network) => unwrap(await api.DELETE('/api/v1/networks/{id}', { params: { path: { id: n.id } } })),
    onSettled: () => setToDelete(null),
  });

  const columns: Column<Network>[] = [
    { header: 'Name', cell: (n) => <Anchor component={Link} to={`/admin/networks/${n.id}`}>{n.name}</Anchor> },
    { header: 'IPv4', cell: (n) => (n.spec.cidr ? <Code>{n.spec.cidr}</Code> : '—') },
    { header: 'IPv6', cell: (n) => (n.spec.ipv6 ? <Code>{n.spec.ipv6.cidr}</Code> : '—'), wide: true },
    { header: 'Addresses used', cell: (n) => <AddressUseCell id={n.id} /> },
    { header: 'Bridge', cell: (n) => n.spec.bridge, wide: true },
    { header: 'DNS zone', cell: (n) => n.spec.dns?.zone ?? '—', wide: true },
    { header: 'MTU', cell: (n) => n.spec.mtu ?? 1500, wide: true },
    { header: 'Spans hosts', cell: (n) => (n.spec.vxlan ? `VNI ${n.spec.vxlan.vni}` : 'no'), wide: true },
    { header: 'From', cell: (n) => (n.spec.origin === 'configuration' ? 'configuration' : 'admin'), wide: true },
    {
      header: 'Actions',
      cell: (n) => (
        <Button size="xs" color="red" variant="light" onClick={() => { remove.reset(); setToDelete(n); }} aria-label={`Delete ${n.name}`}>Delete</Button>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Networks</Title>
        <Button onClick={() => setCreating(true)}>Create network</Button>
      </Group>
      <Text size="sm" c="dimmed">A bridge on each host with an IPv4 and optionally an IPv6 pool; Fleetyard never routes a network outside.</Text>
      {remove.error && remove.variables && (
        <ApiErrorAlert error={remove.error} title={`Network ${remove.variables.name} was not deleted`} onClose={() => remove.reset()} />
      )}
      <ServerTable<Network>
        queryKey={['networks']}
        caption="Networks, 50 per page"
        rowKey={(n) => n.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) => unwrap(await api.GET('/api/v1/networks', { params: { query: { cursor, limit, name: filters.name } } }))}
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={creating} onClose={() => setCreating(false)} title="Create a network" size="lg">
        {creating && <NetworkForm network={null} onDone={() => setCreating(false)} />}
      </Modal>
      <ConfirmModal
        opened={toDelete !== null}
        title={`Delete network ${toDelete?.name ?? ''}?`}
        text="Appliances that use it, addresses held on it, or the configuration making it keep it from being deleted."
        action="Delete"
        busy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onClose={() => setToDelete(null)}
      />
    </Stack>
  );
}
