import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../../api/client.ts';
import { ServerTable, type Column } from '../../../components/server-table.tsx';
import { ApiErrorAlert } from './api-error-alert.tsx';
import { ConfirmModal } from './confirm-modal.tsx';
import { formatTime } from './format.ts';
import type { CreatedJoinToken, JoinToken } from './inventory-types.ts';
import { useHosts } from './use-hosts.ts';

const STATES = ['pending', 'used', 'expired', 'revoked'] as const;
const STATE_COLORS: Record<JoinToken['state'], string> = { pending: 'blue', used: 'green', expired: 'gray', revoked: 'red' };
const LIFETIMES = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
];

/**
 * Join tokens: how a machine becomes a host. A token is shown once, right after it is made;
 * the list shows what became of each (pending, used, expired, revoked) and revokes unused ones.
 */
export function JoinTokens() {
  const { byId } = useHosts();
  const [creating, setCreating] = useState(false);
  const [toRevoke, setToRevoke] = useState<JoinToken | null>(null);
  const revoke = useMutation({
    mutationFn: async (t: JoinToken) => unwrap(await api.DELETE('/api/v1/hosts/join-tokens/{id}', { params: { path: { id: t.id } } })),
    onSettled: () => setToRevoke(null),
  });

  const columns: Column<JoinToken>[] = [
    { header: 'Note', cell: (t) => t.note || <Text size="sm" c="dimmed">(none)</Text> },
    { header: 'State', cell: (t) => <Badge color={STATE_COLORS[t.state]} variant="light" miw="max-content" data-testid="token-state">{t.state}</Badge> },
    { header: 'Expires', cell: (t) => formatTime(t.expiresAt) },
    { header: 'For', cell: (t) => (t.hostId ? `re-enrolling ${byId.get(t.hostId)?.name ?? t.hostId}` : 'a new host'), wide: true },
    { header: 'Used by', cell: (t) => (t.usedByHostId ? byId.get(t.usedByHostId)?.name ?? t.usedByHostId : '—'), wide: true },
    { header: 'Created', cell: (t) => formatTime(t.createdAt), wide: true },
    {
      header: 'Actions',
      cell: (t) =>
        t.state === 'pending' ? (
          <Button size="xs" color="red" variant="light" onClick={() => { revoke.reset(); setToRevoke(t); }} aria-label={`Revoke the token ${t.note || t.id}`}>Revoke</Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">Join tokens</Title>
        <Button onClick={() => setCreating(true)}>Create join token</Button>
      </Group>
      {revoke.error && <ApiErrorAlert error={revoke.error} title="The token was not revoked" onClose={() => revoke.reset()} />}
      <ServerTable<JoinToken>
        queryKey={['join-tokens']}
        caption="Join tokens, newest first"
        rowKey={(t) => t.id}
        columns={columns}
        filters={[{ name: 'tokenState', label: 'Token state', options: STATES.map((s) => ({ value: s, label: s })) }]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/hosts/join-tokens', { params: { query: { cursor, limit, state: filters.tokenState as JoinToken['state'] | undefined } } }))}
        empty="No join tokens."
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={creating} onClose={() => setCreating(false)} title="Create a join token" size="lg">
        {creating && <CreateJoinToken onClose={() => setCreating(false)} />}
      </Modal>
      <ConfirmModal
        opened={toRevoke !== null}
        title="Revoke this join token?"
        text="It stops working at once; an agent that has not enrolled with it yet cannot."
        action="Revoke"
        busy={revoke.isPending}
        onConfirm={() => toRevoke && revoke.mutate(toRevoke)}
        onClose={() => setToRevoke(null)}
      />
    </Stack>
  );
}

function CreateJoinToken({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const { hosts } = useHosts();
  const [note, setNote] = useState('');
  const [ttl, setTtl] = useState<string | null>('3600');
  const [hostId, setHostId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/hosts/join-tokens', { body: { ttlSeconds: Number(ttl ?? 3600), ...(note.trim() ? { note: note.trim() } : {}), ...(hostId ? { hostId } : {}) } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['join-tokens'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  if (create.data) return <CreatedToken token={create.data} onClose={onClose} />;
  return (
    <form onSubmit={submit} aria-label="Create a join token">
      <Stack>
        {create.error && <ApiErrorAlert error={create.error} title="No token was made" />}
        <TextInput label="Note" description='What it is for, e.g. "rack 4, node 12"' maxLength={200} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-autofocus />
        <Select label="Valid for" data={LIFETIMES} value={ttl} onChange={setTtl} allowDeselect={false} />
        <Select
          label="Re-enrol host (optional)"
          description="Replaces that host's keys; leave empty to enrol a new host"
          data={hosts.map((h) => ({ value: h.id, label: h.name }))}
          value={hostId}
          onChange={setHostId}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the host' }}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>Create</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The token itself, shown this once: the server keeps only its hash. */
function CreatedToken({ token, onClose }: { token: CreatedJoinToken; onClose: () => void }) {
  const command = `fleetyard agent --join-token ${token.token}`;
  return (
    <Stack>
      <Alert color="yellow" title="Copy it now">This token is shown only once. It enrols one agent, once, until {formatTime(token.expiresAt)}.</Alert>
      <Text size="sm" fw={500} id="join-token-label">Join token</Text>
      <Code block aria-labelledby="join-token-label" data-testid="join-token" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{token.token}</Code>
      <Text size="sm">On the new host, run:</Text>
      <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{command}</Code>
      <Group justify="flex-end">
        <CopyButton value={token.token}>
          {({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy token'}</Button>}
        </CopyButton>
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}
