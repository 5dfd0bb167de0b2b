import { Alert, Anchor, Button, Card, Code, Group, Modal, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ApiErrorAlert } from './inventory/api-error-alert.tsx';
import { ConfirmModal } from './inventory/confirm-modal.tsx';
import { formatTime } from './inventory/format.ts';
import type { Network } from './inventory/inventory-types.ts';
import { NetworkForm } from './inventory/network-form.tsx';

/** One network: its pools, DNS, MTU and spanning, the addresses appliances hold, and its change and delete. */
export default function NetworkPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // While its delete is in flight, the network's own event must not refetch what is going away.
  const [going, setGoing] = useState(false);
  const network = useQuery({
    enabled: !going,
    queryKey: ['networks', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks/{id}', { params: { path: { id } } })),
  });
  const use = useQuery({
    enabled: !going,
    queryKey: ['networks', id, 'addresses'],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks/{id}/addresses', { params: { path: { id } } })),
  });
  const remove = useMutation({
    mutationFn: async (n: Network) => unwrap(await api.DELETE('/api/v1/networks/{id}', { params: { path: { id: n.id } } })),
    onMutate: () => setGoing(true),
    onError: () => setGoing(false),
    onSuccess: async () => {
      // The list's cached page still has the network: dropped, so its row (and that row's
      // address use, which would only answer 404) is never shown again on the way back.
      queryClient.removeQueries({ queryKey: ['networks'] });
      await navigate('/admin/networks');
    },
    onSettled: () => setDeleting(false),
  });
  if (network.error) return <Alert color="red" role="alert" title="Could not load the network">{errorText(network.error)}</Alert>;
  const n = network.data;
  if (!n) return <Text>Loading…</Text>;
  const s = n.spec;
  return (
    <Stack>
      <Anchor component={Link} to="/admin/networks" size="sm">← Networks</Anchor>
      <Group justify="space-between">
        <Title order={1} size="h2">Network {n.name}</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => setEditing(true)}>Change</Button>
          <Button color="red" variant="light" onClick={() => { remove.reset(); setDeleting(true); }}>Delete</Button>
        </Group>
      </Group>
      {remove.error && <ApiErrorAlert error={remove.error} title={`Network ${n.name} was not deleted`} onClose={() => remove.reset()} />}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm"><b>CIDR:</b> {s.cidr ? <Code>{s.cidr}</Code> : 'none (IPv6 only)'}</Text>
            <Text size="sm"><b>Gateway (the host&apos;s bridge address):</b> {s.gateway}</Text>
            <Text size="sm"><b>IPv6:</b> {s.ipv6 ? <><Code>{s.ipv6.cidr}</Code>, gateway {s.ipv6.gateway}</> : 'none'}</Text>
            <Text size="sm"><b>Bridge:</b> {s.bridge}</Text>
            <Text size="sm"><b>MTU:</b> {s.mtu ?? 1500}</Text>
            <Text size="sm"><b>Spans hosts:</b> {s.vxlan ? `yes, VXLAN VNI ${s.vxlan.vni}` : 'no'}</Text>
            <Text size="sm"><b>DNS:</b> {s.dns ? `${s.dns.zone} (${s.dns.backend === 'embedded' ? 'embedded' : `RFC 2136 to ${s.dns.server}:${s.dns.port}, key ${s.dns.keyName}`})` : 'none'}</Text>
            <Text size="sm"><b>From:</b> {s.origin === 'configuration' ? 'the configuration' : 'an admin'}</Text>
            <Text size="sm"><b>Created:</b> {formatTime(n.createdAt)}</Text>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">Excluded from IPAM</Title>
          {s.excluded.length === 0 && (s.ipv6?.excluded.length ?? 0) === 0 ? (
            <Text size="sm" c="dimmed">Nothing: every address of the pool may go to an appliance.</Text>
          ) : (
            <Table>
              <Table.Caption>Address ranges IPAM never hands out (a boot network lends them to machines nobody registered)</Table.Caption>
              <Table.Thead>
                <Table.Tr><Table.Th>First</Table.Th><Table.Th>Last</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...s.excluded, ...(s.ipv6?.excluded ?? [])].map((r) => (
                  <Table.Tr key={`${r.first}-${r.last}`}><Table.Td>{r.first}</Table.Td><Table.Td>{r.last}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h5" mb="xs">Addresses</Title>
        {use.data && (
          <Stack gap="xs">
            <Text size="sm" data-testid="address-counts">
              {[
                use.data.ipv4 ? `IPv4: ${use.data.ipv4.used} used, ${use.data.ipv4.free} free of ${use.data.ipv4.size}` : null,
                use.data.ipv6 ? `IPv6: ${use.data.ipv6.used} used, ${use.data.ipv6.free} free of ${use.data.ipv6.size}` : null,
              ].filter((t) => t !== null).join(' · ')}
            </Text>
            <Table>
              <Table.Caption>Addresses held by appliances</Table.Caption>
              <Table.Thead>
                <Table.Tr><Table.Th>Address</Table.Th><Table.Th>Family</Table.Th><Table.Th>Appliance</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {use.data.items.length === 0 && <Table.Tr><Table.Td colSpan={3}><Text size="sm" c="dimmed">No appliance holds an address here.</Text></Table.Td></Table.Tr>}
                {use.data.items.map((a) => (
                  <Table.Tr key={a.address} data-testid="row">
                    <Table.Td><Code>{a.address}</Code></Table.Td>
                    <Table.Td>{a.family}</Table.Td>
                    <Table.Td><Anchor component={Link} to={`/admin/appliances/${a.applianceId}`}>{a.applianceName ?? a.applianceId}</Anchor></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </Card>
      <Card withBorder>
        <Text size="sm" mb={4}><b>Id</b></Text>
        <Code>{n.id}</Code>
      </Card>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing} onClose={() => setEditing(false)} title={`Change network ${n.name}`} size="lg">
        {editing && <NetworkForm network={n} onDone={() => setEditing(false)} />}
      </Modal>
      <ConfirmModal
        opened={deleting}
        title={`Delete network ${n.name}?`}
        text="Appliances that use it, addresses held on it, or the configuration making it keep it from being deleted."
        action="Delete"
        busy={remove.isPending}
        onConfirm={() => remove.mutate(n)}
        onClose={() => setDeleting(false)}
      />
    </Stack>
  );
}
