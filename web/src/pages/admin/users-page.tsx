import { Alert, Anchor, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { User } from './cloud/cloud-types.ts';
import { useGroupOptions } from './cloud/group-options.ts';
import { GroupName, when } from './cloud/object-names.tsx';

const ROLES = [{ value: 'user', label: 'cloud user' }, { value: 'admin', label: 'admin' }];

/** Turns a user off or on again; a disabled user cannot sign in or use their tokens. */
function DisableButton({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: async () => unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { disabled: !user.spec.disabled } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const verb = user.spec.disabled ? 'Enable' : 'Disable';
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="default" color={user.spec.disabled ? 'green' : 'red'} loading={toggle.isPending} aria-label={`${verb} ${user.name}`} onClick={() => toggle.mutate()}>{verb}</Button>
      {toggle.error && <Alert color="red" role="alert" p={4}>{errorText(toggle.error)}</Alert>}
    </Group>
  );
}

const columns: Column<User>[] = [
  { header: 'Name', cell: (u) => <Anchor component={Link} to={`/admin/users/${u.id}`}>{u.name}</Anchor> },
  { header: 'E-mail', cell: (u) => u.spec.email, wide: true },
  { header: 'Role', cell: (u) => u.spec.role },
  { header: 'Group', cell: (u) => <GroupName id={u.spec.groupId} />, wide: true },
  { header: 'Status', cell: (u) => <Badge color={u.spec.disabled ? 'red' : 'green'} variant="light" data-testid="user-status">{u.spec.disabled ? 'disabled' : 'active'}</Badge> },
  { header: 'Last sign-in', cell: (u) => when(u.status.lastLoginAt), wide: true },
  { header: 'Access', cell: (u) => <DisableButton user={u} /> },
];

/** The people who use the cloud: find them, create them, switch them off and on. */
export default function UsersPage() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Users</Title>
        <Group gap="xs">
          <Button variant="default" component={Link} to="/admin/groups">Groups</Button>
          <Button onClick={open}>Create user</Button>
        </Group>
      </Group>
      <ServerTable<User>
        queryKey={['users']}
        caption="Users, 50 per page"
        rowKey={(u) => u.id}
        columns={columns}
        filters={[
          { name: 'name', label: 'Name' },
          { name: 'role', label: 'Role', options: ROLES },
        ]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/users', { params: { query: { cursor, limit, name: filters.name, role: filters.role } } }))}
      />
      <Modal opened={opened} onClose={close} title="Create user">
        <CreateUserForm onDone={close} />
      </Modal>
    </Stack>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const groups = useGroupOptions();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'user' | 'admin'>('user');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [sshPublicKey, setKey] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/users', {
        body: { name, email, role, groupId, password: password || undefined, sshPublicKey: sshPublicKey.trim() || null },
      })),
    onSuccess: async (u) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onDone();
      await navigate(`/admin/users/${u.id}`);
    },
  });
  const short = password.length > 0 && password.length < 12;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!short) create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {create.error && <Alert color="red" role="alert">{errorText(create.error)}</Alert>}
        <TextInput label="Name" description="The user's login: letters, digits, '.', '_' or '-'" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <TextInput label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <Group grow>
          <Select label="Role" data={ROLES} value={role} onChange={(v) => setRole(v === 'admin' ? 'admin' : 'user')} allowDeselect={false} />
          <Select label="Group" data={groups.options} value={groupId} onChange={setGroupId} placeholder={groups.loading ? 'Loading…' : 'none'} clearable searchable />
        </Group>
        <PasswordInput label="Password" description="At least 12 characters; without one the user cannot sign in until an admin sets it" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={short ? 'At least 12 characters' : undefined} autoComplete="new-password" />
        <Textarea label="SSH public key" description="One OpenSSH line; put into the appliances the user orders" rows={2} value={sshPublicKey} onChange={(e) => setKey(e.currentTarget.value)} />
        <Button type="submit" loading={create.isPending} disabled={!name || !email}>Create</Button>
      </Stack>
    </form>
  );
}
