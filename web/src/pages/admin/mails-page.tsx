import { Alert, Anchor, Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { Mail } from './cloud/cloud-types.ts';
import { when } from './cloud/object-names.tsx';
import { StateCell } from './cloud/state-cell.tsx';

const STATES = ['pending', 'sent', 'failed'] as const;
type MailState = (typeof STATES)[number];

function RetryButton({ mail }: { mail: Mail }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/mails/{id}/retry', { params: { path: { id: mail.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mails'] }),
  });
  if (mail.state !== 'failed') return null;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="light" loading={retry.isPending} aria-label={`Retry the mail to ${mail.to}: ${mail.subject}`} onClick={() => retry.mutate()}>Retry</Button>
      {retry.error && <Text size="xs" c="red.9" role="alert">{errorText(retry.error)}</Text>}
    </Group>
  );
}

function Related({ mail }: { mail: Mail }) {
  const r = mail.related;
  if (!r) return <Text span c="dimmed" inherit>—</Text>;
  if (r.kind === 'request') return <Anchor component={Link} to={`/admin/requests/${r.id}`}>request</Anchor>;
  if (r.kind === 'user') return <Anchor component={Link} to={`/admin/users/${r.id}`}>user</Anchor>;
  return <>{r.kind}</>;
}

/**
 * The mail outbox: every mail Fleetyard sent or is sending, as it goes (live). A mail that failed
 * after all its attempts can be sent again with a fresh count.
 */
export default function MailsPage() {
  const [shown, setShown] = useState<Mail | null>(null);
  const columns: Column<Mail>[] = [
    { header: 'Queued', cell: (m) => when(m.createdAt), wide: true },
    { header: 'To', cell: (m) => m.to },
    { header: 'Subject', cell: (m) => <Anchor component="button" type="button" ta="left" onClick={() => setShown(m)}>{m.subject}</Anchor> },
    { header: 'About', cell: (m) => <Related mail={m} />, wide: true },
    { header: 'State', cell: (m) => <StateCell state={m.state} /> },
    { header: 'Attempts', cell: (m) => m.attempts, wide: true },
    { header: 'Last error', cell: (m) => m.lastError ?? '', wide: true },
    { header: 'Retry', cell: (m) => <RetryButton mail={m} /> },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">Mails</Title>
      <ServerTable<Mail>
        queryKey={['mails']}
        caption="Mails, 50 per page"
        rowKey={(m) => m.id}
        columns={columns}
        filters={[
          { name: 'state', label: 'State', options: STATES.map((s) => ({ value: s, label: s })) },
          { name: 'to', label: 'Recipient' },
        ]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/mails', { params: { query: { cursor, limit, state: filters.state as MailState | undefined, to: filters.to } } }))}
      />
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={shown?.subject ?? ''} size="lg">
        {shown && (
          <Stack gap="xs">
            <Text size="sm"><b>To:</b> {shown.to} · <b>Template:</b> {shown.template} · <b>State:</b> {shown.state}</Text>
            <Text size="sm"><b>Sent:</b> {when(shown.sentAt)}{shown.nextAttemptAt ? ` · next attempt ${when(shown.nextAttemptAt)}` : ''}</Text>
            {shown.lastError && <Alert color="red">{shown.lastError}</Alert>}
            <Code block>{shown.body}</Code>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
