import { Anchor, Button, Group, Modal, NumberInput, Select, Stack, Switch, TextInput, Title, Alert } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { ServerTable, type Column } from '../../components/server-table.tsx';

const PHASES = ['pending', 'starting', 'running', 'stopping', 'stopped', 'failed', 'deleting', 'moving'] as const;
type Phase = (typeof PHASES)[number];

const columns: Column<Appliance>[] = [
  { header: 'Name', cell: (a) => <Anchor component={Link} to={`/admin/appliances/${a.id}`}>{a.name}</Anchor> },
  { header: 'Phase', cell: (a) => <PhaseBadge phase={a.status.phase} /> },
  { header: 'Address', cell: (a) => a.status.address ?? '—' },
  { header: 'Virtualization', cell: (a) => a.spec.requirements.virtualization, wide: true },
  { header: 'Size', cell: (a) => `${a.spec.requirements.cpu} CPU · ${a.spec.requirements.memoryMiB} MiB`, wide: true },
  { header: 'Message', cell: (a) => a.status.message ?? '', wide: true },
];

export default function AppliancesPage() {
  const [opened, { open, close }] = useDisclosure(false);
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
        ]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/appliances', { params: { query: { cursor, limit, name: filters.name, phase: filters.phase as Phase | undefined } } }))}
      />
      <Modal opened={opened} onClose={close} title="Create appliance">
        <CreateApplianceForm onDone={close} />
      </Modal>
    </Stack>
  );
}

function CreateApplianceForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const images = useQuery({
    queryKey: ['images', 'ready'],
    queryFn: async () => unwrap(await api.GET('/api/v1/images', { params: { query: { limit: 200 } } })),
  });
  const [name, setName] = useState('');
  const [imageId, setImageId] = useState<string | null>(null);
  const [cpu, setCpu] = useState<number>(1);
  const [memoryMiB, setMemory] = useState<number>(256);
  const [start, setStart] = useState(true);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/appliances', { body: { name, imageId: imageId ?? '', requirements: { cpu, memoryMiB }, start } })),
    onSuccess: async (a) => {
      await queryClient.invalidateQueries({ queryKey: ['appliances'] });
      onDone();
      await navigate(`/admin/appliances/${a.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const options = (images.data?.items ?? []).filter((i) => i.status.state === 'ready').map((i) => ({ value: i.id, label: i.name }));
  return (
    <form onSubmit={submit}>
      <Stack>
        {create.error && <Alert color="red" role="alert">{errorText(create.error)}</Alert>}
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} description="lower-case letters, digits and dashes" data-autofocus />
        <Select label="Image" required data={options} value={imageId} onChange={setImageId} placeholder={images.isPending ? 'Loading…' : 'Pick an image'} searchable />
        <Group grow>
          <NumberInput label="CPUs" min={1} max={256} value={cpu} onChange={(v) => setCpu(Number(v) || 1)} />
          <NumberInput label="Memory (MiB)" min={16} step={64} value={memoryMiB} onChange={(v) => setMemory(Number(v) || 16)} />
        </Group>
        <Switch label="Start at once" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
        <Button type="submit" loading={create.isPending} disabled={!name || !imageId}>Create</Button>
      </Stack>
    </form>
  );
}
