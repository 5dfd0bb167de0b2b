import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import { usePrincipal } from '../../session/session-context.tsx';

/**
 * The SSH key put into the appliances of requests provisioned from now on (instead of a mailed
 * password). The server checks it is one OpenSSH public key line it can parse.
 */
export function SshKeyCard() {
  const me = usePrincipal();
  const queryClient = useQueryClient();
  const user = useQuery({
    queryKey: ['users', me.userId],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id: me.userId } } })),
  });
  const [draft, setDraft] = useState<string | null>(null);
  const current = user.data?.spec.sshPublicKey ?? null;
  const value = draft ?? current ?? '';
  const save = useMutation({
    mutationFn: async (key: string | null) => unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: me.userId } }, body: { sshPublicKey: key } })),
    onSuccess: async () => {
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: ['users', me.userId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(value.trim() === '' ? null : value.trim());
  };
  return (
    <Card withBorder component="section" aria-labelledby="ssh-key-title">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Title order={2} size="h4" id="ssh-key-title">SSH key</Title>
          <Text size="sm" c="dimmed">
            Appliances of requests provisioned from now on let you in with this key. Without one, each request mails you a password.
          </Text>
          <Textarea
            label="Public key"
            description="One line, as in ~/.ssh/id_ed25519.pub"
            placeholder="ssh-ed25519 AAAA… you@laptop"
            autosize
            minRows={2}
            value={value}
            onChange={(e) => setDraft(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          {save.error && <Alert color="red" role="alert" title="Not saved">{errorText(save.error)}</Alert>}
          {save.isSuccess && draft === null && <Text size="sm" role="status">Saved.</Text>}
          <Group>
            <Button type="submit" loading={save.isPending && save.variables !== null} disabled={draft === null || draft.trim() === (current ?? '')}>Save key</Button>
            {current && <Button variant="default" onClick={() => save.mutate(null)} loading={save.isPending && save.variables === null}>Remove key</Button>}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
