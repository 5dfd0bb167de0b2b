import { Alert, Anchor, Badge, Button, Group as Row, Modal, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { paths } from '../../api/schema';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';

type ConfigGroup = paths['/api/v1/config-groups/{id}']['get']['responses'][200]['content']['application/json'];
type Usage = paths['/api/v1/config-groups/{id}/usage']['get']['responses'][200]['content']['application/json'];

const parts = (g: ConfigGroup) => (['ansible', 'puppet', 'cloudInit'] as const).filter((p) => g.spec[p]).join(', ') || 'none';

/**
 * Configuration groups: named, versioned units of configuration (an Ansible playbook here) that
 * products and appliances carry; each save raises the revision, which applies the group again to
 * every appliance carrying it. A group's dialog shows who carries it and what its last
 * application did on each appliance.
 */
export default function ConfigGroupsPage() {
  const [open, setOpen] = useState<ConfigGroup | 'new' | null>(null);
  // The title stays while the dialog closes.
  const [title, setTitle] = useState('');
  const show = (g: ConfigGroup | 'new') => {
    setTitle(g === 'new' ? 'Create configuration group' : `Configuration group ${g.name}`);
    setOpen(g);
  };
  const close = () => setOpen(null);
  const columns: Column<ConfigGroup>[] = [
    { header: 'Name', cell: (g) => g.name },
    { header: 'Revision', cell: (g) => String(g.spec.revision) },
    { header: 'Parts', cell: parts, wide: true },
    { header: 'Description', cell: (g) => g.spec.description, wide: true },
    { header: 'Open', cell: (g) => <Button size="xs" variant="default" aria-label={`Open ${g.name}`} onClick={() => show(g)}>Open</Button> },
  ];
  return (
    <Stack>
      <Row justify="space-between">
        <Title order={1} size="h2">Configuration groups</Title>
        <Button onClick={() => show('new')}>Create configuration group</Button>
      </Row>
      <ServerTable<ConfigGroup>
        queryKey={['config-groups']}
        caption="Configuration groups, 50 per page"
        rowKey={(g) => g.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) => unwrap(await api.GET('/api/v1/config-groups', { params: { query: { cursor, limit, name: filters.name } } }))}
      />
      <Modal opened={open !== null} onClose={close} title={title} size="xl">
        {open !== null && <GroupDialog key={open === 'new' ? 'new' : open.id} group={open === 'new' ? undefined : open} onDone={close} />}
      </Modal>
    </Stack>
  );
}

function GroupDialog({ group, onDone }: { group?: ConfigGroup; onDone: () => void }) {
  const queryClient = useQueryClient();
  // The group as it is now (a save elsewhere, a revision applied), not as the list row had it.
  const current = useQuery({
    queryKey: ['config-groups', group?.id],
    queryFn: async () => unwrap(await api.GET('/api/v1/config-groups/{id}', { params: { path: { id: group?.id ?? '' } } })),
    enabled: !!group,
    initialData: group,
  });
  const g = current.data;
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.spec.description ?? '');
  const [playbook, setPlaybook] = useState(group?.spec.ansible?.playbook ?? '');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['config-groups'] });
  const save = useMutation({
    mutationFn: async () => {
      const ansible = playbook.trim() ? { playbook } : null;
      if (!group) return unwrap(await api.POST('/api/v1/config-groups', { body: { name, description, ansible } }));
      return unwrap(await api.PATCH('/api/v1/config-groups/{id}', { params: { path: { id: group.id } }, body: { description, ansible } }));
    },
    onSuccess: async () => {
      await refresh();
      if (!group) onDone();
    },
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/config-groups/{id}', { params: { path: { id: group?.id ?? '' } } })),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Stack>
      <form onSubmit={submit}>
        <Stack>
          {save.error && <Alert color="red" role="alert">{errorText(save.error)}</Alert>}
          {save.isSuccess && group && <Alert color="green" role="status">Saved as revision {g?.spec.revision}: the appliances carrying it get it again.</Alert>}
          {group ? <Text>Revision {g?.spec.revision}</Text> : <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />}
          <Textarea label="Description" rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Textarea
            label="Ansible playbook"
            description="YAML, run against each appliance as root over SSH; plays target all. The base image has no Python: use raw (facts are not gathered)."
            rows={8}
            autosize={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={playbook}
            onChange={(e) => setPlaybook(e.currentTarget.value)}
            spellCheck={false}
          />
          <Row>
            <Button type="submit" loading={save.isPending} disabled={!group && !name}>{group ? 'Save' : 'Create'}</Button>
            {group && <Button color="red" variant="light" loading={remove.isPending} onClick={() => remove.mutate()}>Delete</Button>}
          </Row>
          {remove.error && <Alert color="red" role="alert">{errorText(remove.error)}</Alert>}
        </Stack>
      </form>
      {group && <GroupUsage id={group.id} />}
    </Stack>
  );
}

function GroupUsage({ id }: { id: string }) {
  const usage = useQuery({
    queryKey: ['config-groups', id, 'usage'],
    queryFn: async (): Promise<Usage> => unwrap(await api.GET('/api/v1/config-groups/{id}/usage', { params: { path: { id } } })),
  });
  if (usage.error) return <Alert color="red" role="alert">{errorText(usage.error)}</Alert>;
  if (!usage.data) return <Text c="dimmed">Loading who carries it…</Text>;
  const { products, appliances } = usage.data;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">Carried by</Title>
      <Text>Products: {products.length === 0 ? 'none' : products.map((p) => p.name).join(', ')}</Text>
      {appliances.length === 0 ? (
        <Text>Appliances: none</Text>
      ) : (
        <Table aria-label="Appliances carrying the group" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Appliance</Table.Th>
              <Table.Th>Last application</Table.Th>
              <Table.Th>ok / changed / failed</Table.Th>
              <Table.Th>Message</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {appliances.map((a) => (
              <Table.Tr key={a.id} data-testid="carrier">
                <Table.Td><Anchor component={Link} to={`/admin/appliances/${a.id}`} underline="always">{a.name}</Anchor></Table.Td>
                <Table.Td>
                  {a.applied ? (
                    <Badge color={a.applied.state === 'applied' ? 'green' : 'red'} variant="light">{`${a.applied.state} (revision ${a.applied.revision})`}</Badge>
                  ) : (
                    <Badge color="gray" variant="light">not applied yet</Badge>
                  )}
                </Table.Td>
                <Table.Td>{a.applied ? `${a.applied.ok} / ${a.applied.changed} / ${a.applied.failed}` : '–'}</Table.Td>
                <Table.Td>{a.applied?.message ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
