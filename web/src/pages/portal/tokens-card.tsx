import { Alert, Badge, Button, Card, Code, CopyButton, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { showTime } from './local-time.ts';
import type { NewToken, Token } from './portal-types.ts';

function tokenState(t: Token): { label: string; color: string } {
  if (t.revokedAt) return { label: 'revoked', color: 'gray' };
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return { label: 'expired', color: 'gray' };
  return { label: 'active', color: 'green' };
}

/** API tokens for the CLI and scripts: made here, shown once, revoked here. */
export function TokensCard() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>('');
  const [made, setMade] = useState<NewToken | null>(null);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/tokens', { body: { name: name.trim(), ...(typeof days === 'number' ? { expiresInDays: days } : {}) } })),
    onSuccess: async (t) => {
      setMade(t);
      setName('');
      setDays('');
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  const columns: Column<Token>[] = [
    { header: 'Name', cell: (t) => t.name },
    { header: 'State', cell: (t) => { const s = tokenState(t); return <Badge color={s.color} variant="light">{s.label}</Badge>; } },
    { header: 'Created', cell: (t) => showTime(t.createdAt), wide: true },
    { header: 'Last used', cell: (t) => showTime(t.lastUsedAt), wide: true },
    { header: 'Expires', cell: (t) => (t.expiresAt ? showTime(t.expiresAt) : 'never'), wide: true },
    {
      header: 'Revoke',
      cell: (t) =>
        tokenState(t).label === 'active' ? (
          <Button size="xs" color="red" variant="light" onClick={() => revoke.mutate(t.id)} loading={revoke.isPending && revoke.variables === t.id} aria-label={`Revoke the token ${t.name}`}>
            Revoke
          </Button>
        ) : null,
    },
  ];
  return (
    <Card withBorder component="section" aria-labelledby="tokens-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="tokens-title">API tokens</Title>
        <Text size="sm" c="dimmed">For the fleetyard command and scripts: send one as <Code>Authorization: Bearer …</Code>.</Text>
        <form onSubmit={submit}>
          <Group align="end" wrap="wrap">
            <TextInput label="Token name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} w={220} />
            <NumberInput label="Expires after (days, optional)" min={1} max={3650} allowDecimal={false} value={days} onChange={setDays} w={220} />
            <Button type="submit" disabled={!name.trim()} loading={create.isPending}>Create token</Button>
          </Group>
        </form>
        {create.error && <Alert color="red" role="alert">{errorText(create.error)}</Alert>}
        {made && (
          <Alert color="yellow" title={`Token ${made.name}: copy it now, it is not shown again`} withCloseButton onClose={() => setMade(null)} closeButtonLabel="Hide the token">
            <Group gap="xs" wrap="nowrap">
              <Code data-testid="new-token" style={{ wordBreak: 'break-all' }}>{made.token}</Code>
              <CopyButton value={made.token}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
            </Group>
          </Alert>
        )}
        {revoke.error && <Alert color="red" role="alert">{errorText(revoke.error)}</Alert>}
        <ServerTable<Token>
          queryKey={['tokens']}
          caption="My API tokens"
          rowKey={(t) => t.id}
          columns={columns}
          empty="No tokens yet."
          fetchPage={async () => ({ items: unwrap(await api.GET('/api/v1/tokens')).items, nextCursor: null })}
        />
      </Stack>
    </Card>
  );
}
