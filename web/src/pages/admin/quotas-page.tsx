import { Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { Group as UserGroup, User } from './cloud/cloud-types.ts';
import { useGroup, useUser } from './cloud/object-names.tsx';
import { QuotaEditor, type QuotaKind } from './cloud/quota-editor.tsx';

type Subject = Pick<User | UserGroup, 'id' | 'name'>;

/**
 * Quotas of users and groups: pick one from the list (paged and filtered on the server) and set
 * its limits beside what it uses now. The choice is in the URL (?kind=&subject=), so a link from a
 * user's or group's page opens the right one.
 */
export default function QuotasPage() {
  const [params, setParams] = useSearchParams();
  const kind: QuotaKind = params.get('kind') === 'groups' ? 'groups' : 'users';
  const subject = params.get('subject');
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const columns: Column<Subject>[] = [
    { header: kind === 'users' ? 'User' : 'Group', cell: (s) => s.name },
    {
      header: 'Quota',
      cell: (s) => (
        <Button size="xs" variant={s.id === subject ? 'filled' : 'default'} aria-pressed={s.id === subject} aria-label={`Quota of ${s.name}`} onClick={() => set({ subject: s.id })}>
          {s.id === subject ? 'Shown' : 'Show quota'}
        </Button>
      ),
    },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">Quotas</Title>
      <SegmentedControl
        aria-label="Whose quotas"
        data={[{ value: 'users', label: 'Users' }, { value: 'groups', label: 'Groups' }]}
        value={kind}
        onChange={(v) => set({ kind: v === 'groups' ? 'groups' : null, subject: null, name: null })}
        w={{ base: '100%', xs: 260 }}
      />
      {subject && <SubjectQuota kind={kind} id={subject} />}
      <ServerTable<Subject>
        key={kind}
        queryKey={[kind, 'quota-picker']}
        caption={kind === 'users' ? 'Users, 50 per page' : 'Groups, 50 per page'}
        rowKey={(s) => s.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) =>
          kind === 'users'
            ? unwrap(await api.GET('/api/v1/users', { params: { query: { cursor, limit, name: filters.name } } }))
            : unwrap(await api.GET('/api/v1/groups', { params: { query: { cursor, limit, name: filters.name } } }))}
      />
    </Stack>
  );
}

function SubjectQuota({ kind, id }: { kind: QuotaKind; id: string }) {
  const user = useUser(kind === 'users' ? id : null);
  const group = useGroup(kind === 'groups' ? id : null);
  const name = (kind === 'users' ? user.data?.name : group.data?.name) ?? '…';
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">Quota of {kind === 'users' ? 'user' : 'group'} {name}</Title>
        <Text size="sm" c="dimmed">Empty means unlimited{kind === 'groups' ? '; counts what all its members hold' : ''}.</Text>
      </Group>
      <QuotaEditor key={`${kind}-${id}`} kind={kind} id={id} />
    </Card>
  );
}
