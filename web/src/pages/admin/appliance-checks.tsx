import { Alert, Card, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { CheckStateBadge } from '../../components/check-state-badge.tsx';

type ChecksView = paths['/api/v1/appliances/{id}/checks']['get']['responses'][200]['content']['application/json'];
type Check = ChecksView['checks'][number];

/** What a check probes, in a few words. */
export function checkTarget(c: Check): string {
  switch (c.kind) {
    case 'tcp':
      return `TCP port ${c.port ?? '?'}`;
    case 'http':
      return `HTTP ${c.port && c.port !== 80 ? `:${c.port}` : ''}${c.path ?? '/'}${c.expectStatus ? ` (expects ${c.expectStatus})` : ''}`;
    case 'ping':
      return 'ping';
    default:
      return (c.command ?? []).join(' ');
  }
}

/**
 * The health checks of an appliance, as the agent of its host last ran them: state, soft or hard
 * with the attempt, the plugin's output and when the state last changed. The query lives under
 * the appliance's key, so its events (appliance.check.changed among them) refresh it.
 */
export function ApplianceChecks({ applianceId, enabled = true }: { applianceId: string; enabled?: boolean }) {
  const checks = useQuery({
    queryKey: ['appliances', applianceId, 'checks'],
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}/checks', { params: { path: { id: applianceId } } })),
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">Health checks</Title>
        {checks.error && <Alert color="red" role="alert">{errorText(checks.error)}</Alert>}
        {checks.data && checks.data.checks.length === 0 && <Text size="sm" c="dimmed">No health checks.</Text>}
        {checks.data && checks.data.checks.length > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Caption>Health checks, as the agent of its host last ran them</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Check</Table.Th>
                  <Table.Th>Probes</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Attempt</Table.Th>
                  <Table.Th>Output</Table.Th>
                  <Table.Th>Changed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {checks.data.checks.map((c) => {
                  const r = checks.data.results.find((x) => x.check === c.name);
                  return (
                    <Table.Tr key={c.name} data-testid={`check-${c.name}`}>
                      <Table.Td><Text size="sm" fw={600}>{c.name}</Text></Table.Td>
                      <Table.Td><Code>{checkTarget(c)}</Code></Table.Td>
                      <Table.Td>
                        {r ? (
                          <CheckStateBadge state={r.state} type={r.type} />
                        ) : (
                          <Text size="sm" c="dimmed" data-testid="check-state">not run yet</Text>
                        )}
                      </Table.Td>
                      <Table.Td>{r ? `${r.attempt}/${r.maxCheckAttempts}` : '—'}</Table.Td>
                      <Table.Td><Text size="sm" data-testid="check-output">{r?.output ?? '—'}</Text></Table.Td>
                      <Table.Td>{r ? new Date(r.changedAt).toLocaleTimeString() : '—'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
