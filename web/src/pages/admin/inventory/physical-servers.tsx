import { Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../../api/client.ts';
import { ServerTable, type Column } from '../../../components/server-table.tsx';
import { ApiErrorAlert } from './api-error-alert.tsx';
import { ApplianceLink } from './appliance-link.tsx';
import { ConfirmModal } from './confirm-modal.tsx';
import { formatCapacity } from './format.ts';
import type { Resource } from './inventory-types.ts';
import { bootsServers, PhysicalServerForm } from './physical-server-form.tsx';
import { PowerBadge, ResourceStateBadge } from './resource-badges.tsx';
import { useHosts } from './use-hosts.ts';

/**
 * Physical servers: machines a host network-boots, powered through their BMC. Their power
 * state is what the BMC last said (the server reads it through the host's agent and reports a
 * change as an event, so it shows here live). Registered here; removed while nothing runs on one.
 */
export function PhysicalServers() {
  const { hosts, byId } = useHosts();
  const [registering, setRegistering] = useState(false);
  const [toRemove, setToRemove] = useState<Resource | null>(null);
  const remove = useMutation({
    mutationFn: async (r: Resource) => unwrap(await api.DELETE('/api/v1/resources/{id}', { params: { path: { id: r.id } } })),
    onSettled: () => setToRemove(null),
  });
  const canRegister = hosts.some(bootsServers);

  const columns: Column<Resource>[] = [
    { header: 'Name', cell: (s) => <Text fw={500} size="sm">{s.name}</Text> },
    { header: 'Power', cell: (s) => <PowerBadge power={s.status.powerState} /> },
    { header: 'State', cell: (s) => <ResourceStateBadge state={s.status.state} />, wide: true },
    { header: 'Appliance', cell: (s) => <ApplianceLink id={s.status.applianceId} /> },
    { header: 'Booted by', cell: (s) => (s.spec.hostId ? byId.get(s.spec.hostId)?.name ?? s.spec.hostId : '—'), wide: true },
    { header: 'MAC', cell: (s) => <Code>{s.spec.mac ?? '—'}</Code>, wide: true },
    { header: 'BMC', cell: (s) => (s.spec.bmc ? `${s.spec.bmc.user}@${s.spec.bmc.address}:${s.spec.bmc.port}` : 'none yet'), wide: true },
    { header: 'Capacity', cell: (s) => formatCapacity(s.spec.capacity), wide: true },
    {
      header: 'Actions',
      cell: (s) => (
        <Button size="xs" color="red" variant="light" onClick={() => { remove.reset(); setToRemove(s); }} disabled={s.status.applianceId !== null} aria-label={`Remove ${s.name}`}>
          Remove
        </Button>
      ),
    },
  ];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">Physical servers</Title>
        <Button onClick={() => setRegistering(true)} disabled={!canRegister} title={canRegister ? undefined : 'No host network-boots servers (none runs the physical driver)'}>
          Register server
        </Button>
      </Group>
      {!canRegister && hosts.length > 0 && <Text size="sm" c="dimmed">No host network-boots servers: start an agent with a boot network to register one.</Text>}
      {remove.error && remove.variables && <ApiErrorAlert error={remove.error} title={`Server ${remove.variables.name} was not removed`} onClose={() => remove.reset()} />}
      <ServerTable<Resource>
        queryKey={['resources', 'servers']}
        caption="Physical servers network-booted by hosts"
        rowKey={(s) => s.id}
        columns={columns}
        filters={[{ name: 'serverName', label: 'Server name' }]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/resources', { params: { query: { cursor, limit, role: 'server', name: filters.serverName } } }))}
        empty="No physical server is registered."
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={registering} onClose={() => setRegistering(false)} title="Register a physical server" size="lg">
        {registering && <PhysicalServerForm hosts={hosts} onDone={() => setRegistering(false)} />}
      </Modal>
      <ConfirmModal
        opened={toRemove !== null}
        title={`Remove server ${toRemove?.name ?? ''}?`}
        text="Fleetyard forgets the server and its BMC password; the machine itself is not touched."
        action="Remove"
        busy={remove.isPending}
        onConfirm={() => toRemove && remove.mutate(toRemove)}
        onClose={() => setToRemove(null)}
      />
    </Stack>
  );
}
