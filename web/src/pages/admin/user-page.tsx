import { Alert, Badge, Button, Card, Code, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { LedgerEntry, User } from './cloud/cloud-types.ts';
import { useGroupOptions } from './cloud/group-options.ts';
import { GroupName, when } from './cloud/object-names.tsx';
import { QuotaEditor } from './cloud/quota-editor.tsx';

const ledgerColumns: Column<LedgerEntry>[] = [
  { header: 'When', cell: (e) => when(e.createdAt) },
  { header: 'Kind', cell: (e) => e.kind },
  { header: 'CCU', cell: (e) => <Text span inherit ff="monospace">{e.amountMilli > 0 ? '+' : ''}{e.amountCcu}</Text> },
  { header: 'Note', cell: (e) => e.note, wide: true },
];

/** One user: their account, their credit (balance, ledger, grants) and their quota. */
export default function UserPage() {
  const { id = '' } = useParams();
  const user = useQuery({
    queryKey: ['users', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id } } })),
  });
  if (user.error) return <Alert color="red" role="alert">{errorText(user.error)}</Alert>;
  const u = user.data;
  if (!u) return <Text>Loading…</Text>;
  return (
    <Stack>
      <Group>
        <Title order={1} size="h2">{u.name}</Title>
        <Badge variant="light">{u.spec.role}</Badge>
        <Badge color={u.spec.disabled ? 'red' : 'green'} variant="light" data-testid="user-status">{u.spec.disabled ? 'disabled' : 'active'}</Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">Account</Title>
          <Stack gap={4} mb="sm">
            <Text size="sm"><b>E-mail:</b> {u.spec.email}</Text>
            <Text size="sm"><b>Group:</b> <GroupName id={u.spec.groupId} /></Text>
            <Text size="sm"><b>Last sign-in:</b> {when(u.status.lastLoginAt)}</Text>
            <Text size="sm"><b>SSH key:</b> {u.spec.sshPublicKey ? <Code>{u.spec.sshPublicKey.slice(0, 40)}…</Code> : 'none'}</Text>
          </Stack>
          <AccountForm key={u.version} user={u} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">Credit</Title>
          <Balance userId={u.id} />
          <GrantForm userId={u.id} />
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">Quota</Title>
        <QuotaEditor kind="users" id={u.id} />
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">Ledger</Title>
        <ServerTable<LedgerEntry>
          queryKey={['ccu', 'ledger', u.id]}
          caption={`Ledger of ${u.name}, newest first`}
          rowKey={(e) => e.id}
          columns={ledgerColumns}
          empty="No entry yet."
          fetchPage={async ({ cursor, limit }) => unwrap(await api.GET('/api/v1/ccu/ledger', { params: { query: { cursor, limit, userId: u.id } } }))}
        />
      </Card>
    </Stack>
  );
}

function AccountForm({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const groups = useGroupOptions();
  const [role, setRole] = useState(user.spec.role);
  const [groupId, setGroupId] = useState<string | null>(user.spec.groupId);
  const [disabled, setDisabled] = useState(user.spec.disabled);
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { role, groupId, disabled } })),
    onSuccess: (u) => {
      queryClient.setQueryData(['users', user.id], u);
      return queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const changed = role !== user.spec.role || groupId !== user.spec.groupId || disabled !== user.spec.disabled;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Change the account">
      <Stack gap="xs">
        {save.error && <Alert color="red" role="alert">{errorText(save.error)}</Alert>}
        <Group grow>
          <Select label="Role" data={[{ value: 'user', label: 'cloud user' }, { value: 'admin', label: 'admin' }]} value={role} onChange={(v) => setRole(v === 'admin' ? 'admin' : 'user')} allowDeselect={false} />
          <Select label="Group" data={groups.options} value={groupId} onChange={setGroupId} placeholder="none" clearable searchable />
        </Group>
        <Switch label="Disabled (cannot sign in or use tokens)" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
        <Group><Button type="submit" variant="default" disabled={!changed} loading={save.isPending}>Save account</Button></Group>
      </Stack>
    </form>
  );
}

function Balance({ userId }: { userId: string }) {
  const balance = useQuery({
    queryKey: ['ccu', 'balance', userId],
    queryFn: async () => unwrap(await api.GET('/api/v1/ccu/balance', { params: { query: { userId } } })),
  });
  if (balance.error) return <Alert color="red" role="alert">{errorText(balance.error)}</Alert>;
  const b = balance.data;
  if (!b) return <Text size="sm">Loading…</Text>;
  return (
    <Stack gap={2} mb="sm">
      <Text size="xl" fw={700}><span data-testid="balance">{b.balanceCcu}</span> CCU</Text>
      <Text size="sm" c="dimmed">{b.amount} {b.currency} · burns {b.burnCcuPerHour} CCU/h{b.lastsUntil ? ` · lasts until ${when(b.lastsUntil)}` : ''}</Text>
    </Stack>
  );
}

/** getRandomValues, unlike randomUUID, works on a console served over plain HTTP too. */
const newKey = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

function GrantForm({ userId }: { userId: string }) {
  const queryClient = useQueryClient();
  const [ccu, setCcu] = useState<number | ''>('');
  const [note, setNote] = useState('');
  // One key per intended grant: a retry after a lost answer is not a second grant.
  const [key, setKey] = useState(newKey);
  const grant = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/ccu/grants', { body: { userId, ccu: Number(ccu), note: note.trim(), idempotencyKey: key } })),
    onSuccess: async () => {
      setCcu('');
      setNote('');
      setKey(newKey());
      await queryClient.invalidateQueries({ queryKey: ['ccu'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    grant.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Grant CCU">
      <Stack gap="xs">
        {grant.error && <Alert color="red" role="alert">{errorText(grant.error)}</Alert>}
        {grant.isSuccess && <Text size="sm" role="status">Granted; the balance is now {grant.data.balanceCcu} CCU.</Text>}
        <Group grow align="start">
          <NumberInput label="CCU to grant" min={0.001} decimalScale={3} allowNegative={false} value={ccu} onChange={(v) => setCcu(v === '' ? '' : Number(v))} required />
          <TextInput label="Note" description="Shown in the user's ledger" maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} required />
        </Group>
        <Group><Button type="submit" loading={grant.isPending} disabled={!ccu || !note.trim()}>Grant</Button></Group>
      </Stack>
    </form>
  );
}
