import { Alert, Button, Card, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';

/** One appliance: its state as it changes (live), and start / stop / delete. */
export default function AppliancePage() {
  const { id = '' } = useParams();
  const appliance = useQuery({
    queryKey: ['appliances', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}', { params: { path: { id } } })),
  });
  const action = useMutation({
    mutationFn: async (verb: 'start' | 'stop' | 'delete') => {
      if (verb === 'delete') return unwrap(await api.DELETE('/api/v1/appliances/{id}', { params: { path: { id } } }));
      const path = verb === 'start' ? '/api/v1/appliances/{id}/start' : '/api/v1/appliances/{id}/stop';
      return unwrap(await api.POST(path, { params: { path: { id } } }));
    },
  });
  if (appliance.error) return <Alert color="red" role="alert">{errorText(appliance.error)}</Alert>;
  const a = appliance.data;
  if (!a) return <Text>Loading…</Text>;
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={1} size="h2">{a.name}</Title>
          <PhaseBadge phase={a.status.phase} />
        </Group>
        <Group gap="xs">
          <Button variant="default" onClick={() => action.mutate('start')} disabled={a.spec.desiredState === 'running'}>Start</Button>
          <Button variant="default" onClick={() => action.mutate('stop')} disabled={a.spec.desiredState === 'stopped'}>Stop</Button>
          <Button color="red" variant="light" onClick={() => action.mutate('delete')}>Delete</Button>
        </Group>
      </Group>
      {action.error && <Alert color="red" role="alert">{errorText(action.error)}</Alert>}
      {a.status.message && <Alert color={a.status.phase === 'failed' ? 'red' : 'blue'} title="Status">{a.status.message}</Alert>}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm"><b>Address:</b> <span data-testid="address">{a.status.address ?? '—'}</span></Text>
            <Text size="sm"><b>Host:</b> {a.status.hostId ?? '—'}</Text>
            <Text size="sm"><b>Virtualization:</b> {a.spec.requirements.virtualization}</Text>
            <Text size="sm"><b>Size:</b> {a.spec.requirements.cpu} CPU, {a.spec.requirements.memoryMiB} MiB, {a.spec.requirements.diskMiB} MiB disk</Text>
          </Stack>
        </Card>
        <Card withBorder>
          <Text size="sm" mb={4}><b>Id</b></Text>
          <Code>{a.id}</Code>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
