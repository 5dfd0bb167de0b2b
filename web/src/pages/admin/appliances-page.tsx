import { Anchor, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { CreateApplianceForm } from './create-appliance-form.tsx';
import { useHosts, virtualizationOf } from './use-hosts.ts';

const PHASES = ['pending', 'starting', 'running', 'stopping', 'stopped', 'failed', 'deleting', 'moving'] as const;
type Phase = (typeof PHASES)[number];
const VIRTUALIZATIONS = ['container', 'qemu', 'physical', 'sim'] as const;
type Virtualization = (typeof VIRTUALIZATIONS)[number];

/** Every appliance, 50 at a time, filtered and paged by the server; live as events arrive. */
export default function AppliancesPage() {
  const [opened, { open, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const hosts = useHosts();
  const hostName = new Map((hosts.data ?? []).map((h) => [h.id, h.name]));
  const columns: Column<Appliance>[] = [
    { header: 'Name', cell: (a) => <Anchor component={Link} to={`/admin/appliances/${a.id}`}>{a.name}</Anchor> },
    { header: 'Phase', cell: (a) => <PhaseBadge phase={a.status.phase} /> },
    { header: 'Address', cell: (a) => a.status.address ?? '—' },
    { header: 'Host', cell: (a) => (a.status.hostId ? (hostName.get(a.status.hostId) ?? a.status.hostId.slice(-8)) : '—'), wide: true },
    { header: 'Virtualization', cell: virtualizationOf, wide: true },
    { header: 'Size', cell: (a) => `${a.spec.requirements.cpu} CPU · ${a.spec.requirements.memoryMiB} MiB`, wide: true },
    {
      header: 'Message',
      cell: (a) => (a.status.message ? <Text size="sm" lineClamp={2} title={a.status.message}>{a.status.message}</Text> : ''),
      wide: true,
    },
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Appliances</Title>
        <Button onClick={open}>Create appliance</Button>
      </Group>
      <ServerTable<Appliance>
        queryKey={['appliances']}
        caption="Appliances, 50 per page"
        rowKey={(a) => a.id}
        columns={columns}
        filters={[
          { name: 'name', label: 'Name' },
          { name: 'phase', label: 'Phase', options: PHASES.map((p) => ({ value: p, label: p })) },
          { name: 'hostId', label: 'Host', options: (hosts.data ?? []).map((h) => ({ value: h.id, label: h.name })) },
          { name: 'virtualization', label: 'Virtualization', options: VIRTUALIZATIONS.map((v) => ({ value: v, label: v })) },
        ]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(
            await api.GET('/api/v1/appliances', {
              params: {
                query: {
                  cursor,
                  limit,
                  name: filters.name,
                  phase: filters.phase as Phase | undefined,
                  hostId: filters.hostId,
                  virtualization: filters.virtualization as Virtualization | undefined,
                },
              },
            }),
          )}
        empty="No appliance matches."
      />
      <Modal opened={opened} onClose={close} title="Create appliance">
        <CreateApplianceForm
          onCreated={async (a) => {
            close();
            await navigate(`/admin/appliances/${a.id}`);
          }}
        />
      </Modal>
    </Stack>
  );
}
