import { Alert, Anchor, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { formatTime } from './inventory/format.ts';

/** One network: its address pool, gateway, bridge and the ranges IPAM never hands out. */
export default function NetworkPage() {
  const { id = '' } = useParams();
  const network = useQuery({
    queryKey: ['networks', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks/{id}', { params: { path: { id } } })),
  });
  if (network.error) return <Alert color="red" role="alert" title="Could not load the network">{errorText(network.error)}</Alert>;
  const n = network.data;
  if (!n) return <Text>Loading…</Text>;
  return (
    <Stack>
      <Anchor component={Link} to="/admin/networks" size="sm">← Networks</Anchor>
      <Group>
        <Title order={1} size="h2">Network {n.name}</Title>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm"><b>CIDR:</b> <Code>{n.spec.cidr}</Code></Text>
            <Text size="sm"><b>Gateway (the host's bridge address):</b> {n.spec.gateway}</Text>
            <Text size="sm"><b>Bridge:</b> {n.spec.bridge}</Text>
            <Text size="sm"><b>Created:</b> {formatTime(n.createdAt)}</Text>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">Excluded from IPAM</Title>
          {n.spec.excluded.length === 0 ? (
            <Text size="sm" c="dimmed">Nothing: every address of the pool may go to an appliance.</Text>
          ) : (
            <Table>
              <Table.Caption>Address ranges IPAM never hands out (a boot network lends them to machines nobody registered)</Table.Caption>
              <Table.Thead>
                <Table.Tr><Table.Th>First</Table.Th><Table.Th>Last</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {n.spec.excluded.map((r) => (
                  <Table.Tr key={`${r.first}-${r.last}`}><Table.Td>{r.first}</Table.Td><Table.Td>{r.last}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Text size="sm" mb={4}><b>Id</b></Text>
        <Code>{n.id}</Code>
      </Card>
    </Stack>
  );
}
