import { Anchor, Code, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { Network } from './inventory/inventory-types.ts';

const columns: Column<Network>[] = [
  { header: 'Name', cell: (n) => <Anchor component={Link} to={`/admin/networks/${n.id}`}>{n.name}</Anchor> },
  { header: 'CIDR', cell: (n) => <Code>{n.spec.cidr}</Code> },
  { header: 'Gateway', cell: (n) => n.spec.gateway, wide: true },
  { header: 'Bridge', cell: (n) => n.spec.bridge, wide: true },
  { header: 'Excluded', cell: (n) => (n.spec.excluded.length === 0 ? '—' : n.spec.excluded.map((r) => `${r.first}–${r.last}`).join(', ')), wide: true },
];

/**
 * Networks come from configuration (the `default` network and one per boot network), so this
 * page only shows them; the API has no route that changes one.
 */
export default function NetworksPage() {
  return (
    <Stack>
      <Title order={1} size="h2">Networks</Title>
      <Text size="sm" c="dimmed">Networks come from the server's configuration; they are link-local and never routed.</Text>
      <ServerTable<Network>
        queryKey={['networks']}
        caption="Networks, 50 per page"
        rowKey={(n) => n.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) => unwrap(await api.GET('/api/v1/networks', { params: { query: { cursor, limit, name: filters.name } } }))}
      />
    </Stack>
  );
}
