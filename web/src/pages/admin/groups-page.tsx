import { Alert, Anchor, Button, Group as Row, Modal, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { Group } from './cloud/cloud-types.ts';
import { when } from './cloud/object-names.tsx';

const columns: Column<Group>[] = [
  { header: 'Name', cell: (g) => g.name },
  { header: 'Description', cell: (g) => g.spec.description, wide: true },
  { header: 'Created', cell: (g) => when(g.createdAt), wide: true },
  { header: 'Quota', cell: (g) => <Anchor component={Link} to={`/admin/quotas?kind=groups&subject=${g.id}`} aria-label={`Quota of ${g.name}`}>Quota</Anchor> },
];

/** Groups of users, which share a quota. */
export default function GroupsPage() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Stack>
      <Row justify="space-between">
        <Title order={1} size="h2">Groups</Title>
        <Button onClick={open}>Create group</Button>
      </Row>
      <ServerTable<Group>
        queryKey={['groups']}
        caption="Groups, 50 per page"
        rowKey={(g) => g.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) => unwrap(await api.GET('/api/v1/groups', { params: { query: { cursor, limit, name: filters.name } } }))}
      />
      <Modal opened={opened} onClose={close} title="Create group">
        <CreateGroupForm onDone={close} />
      </Modal>
    </Stack>
  );
}

function CreateGroupForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/groups', { body: { name, description } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['groups'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {create.error && <Alert color="red" role="alert">{errorText(create.error)}</Alert>}
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Textarea label="Description" rows={2} maxLength={1000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <Button type="submit" loading={create.isPending} disabled={!name}>Create</Button>
      </Stack>
    </form>
  );
}
