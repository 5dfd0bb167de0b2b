import { Alert, Button, Card, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import { usePrincipal } from '../../session/session-context.tsx';

const MIN_LENGTH = 12;

/** A new password, proven with the current one; the server ends my other sessions, not this one. */
export function PasswordCard() {
  const me = usePrincipal();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const change = useMutation({
    mutationFn: async () => unwrap(await api.PUT('/api/v1/users/{id}/password', { params: { path: { id: me.userId } }, body: { currentPassword: current, password: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setAgain('');
    },
  });
  const tooShort = next.length > 0 && next.length < MIN_LENGTH;
  const differs = again.length > 0 && again !== next;
  const ready = current.length > 0 && next.length >= MIN_LENGTH && again === next;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) change.mutate();
  };
  return (
    <Card withBorder component="section" aria-labelledby="password-title">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Title order={2} size="h4" id="password-title">Password</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <PasswordInput label="Current password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} required />
            <PasswordInput label="New password" autoComplete="new-password" description={`At least ${MIN_LENGTH} characters`} value={next} onChange={(e) => setNext(e.currentTarget.value)}
              error={tooShort ? `At least ${MIN_LENGTH} characters` : undefined} required />
            <PasswordInput label="New password again" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.currentTarget.value)}
              error={differs ? 'Not the same as the new password' : undefined} required />
          </SimpleGrid>
          {change.error && <Alert color="red" role="alert" title="Not changed">{errorText(change.error)}</Alert>}
          {change.isSuccess && <Text size="sm" role="status">Password changed. Your other sessions were ended.</Text>}
          <div>
            <Button type="submit" disabled={!ready} loading={change.isPending}>Change password</Button>
          </div>
        </Stack>
      </form>
    </Card>
  );
}
