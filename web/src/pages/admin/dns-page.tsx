import { Alert, Anchor, Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';

/**
 * The DNS records of a network's zone: every appliance's A, AAAA and PTR records as Fleetyard
 * publishes them (embedded dnsmasq on each host, or RFC 2136 to an external server). The zone's
 * records change with appliances, so its query lives under `appliances` and their events keep
 * it live; the chosen network is in the URL (`?network=`).
 */
export default function DnsPage() {
  const [params, setParams] = useSearchParams();
  const networks = useQuery({
    queryKey: ['networks', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks', { params: { query: { limit: 1000 } } })),
  });
  const items = networks.data?.items ?? [];
  const chosen = params.get('network') ?? items.find((n) => n.name === 'default')?.id ?? items[0]?.id ?? null;
  const zone = useQuery({
    queryKey: ['appliances', 'dns', chosen],
    enabled: chosen !== null,
    queryFn: async () => unwrap(await api.GET('/api/v1/networks/{id}/dns', { params: { path: { id: chosen ?? '' } } })),
  });
  if (networks.error) return <Alert color="red" role="alert" title="Could not load the networks">{errorText(networks.error)}</Alert>;
  return (
    <Stack>
      <Title order={1} size="h2">DNS records</Title>
      <Group align="end">
        <Select
          label="Network"
          data={items.map((n) => ({ value: n.id, label: n.name }))}
          value={chosen}
          onChange={(v) => v && setParams({ network: v })}
          allowDeselect={false}
          w={260}
        />
        {zone.data && (
          <Text size="sm" data-testid="zone">
            {zone.data.zone ? (
              <>Zone <b>{zone.data.zone}</b> <Badge variant="light">{zone.data.backend}</Badge></>
            ) : (
              'This network has no DNS zone: its appliances get no names.'
            )}
          </Text>
        )}
      </Group>
      {zone.error && <Alert color="red" role="alert" title="Could not load the zone">{errorText(zone.error)}</Alert>}
      {zone.data && (
        <Table striped data-testid="dns-records">
          <Table.Caption>
            {zone.data.records.length === 0 ? 'No records: no appliance on this network has an address.' : `${zone.data.records.length} records`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Zone</Table.Th>
              <Table.Th>Appliance</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {zone.data.records.map((r) => (
              <Table.Tr key={`${r.name} ${r.type} ${r.value}`} data-testid={`record-${r.type}-${r.name}`}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.type}</Table.Td>
                <Table.Td>{r.value}</Table.Td>
                <Table.Td>{r.zone}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/admin/appliances/${r.applianceId}`} size="sm" aria-label={`the appliance of ${r.name} ${r.type}`}>open</Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
