import { Alert, Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';

type ExplanationView = paths['/api/v1/appliances/{id}/placement']['get']['responses'][200]['content']['application/json'];

/** `fits: web-2` or `fits nowhere: no host has …`, with the policy. */
export function decisionText(e: Pick<ExplanationView, 'policy' | 'fits' | 'reason' | 'hostIds' | 'hosts'>): string {
  const names = new Map(e.hosts.map((h) => [h.hostId, h.host]));
  return `${e.fits ? `Fits on ${e.hostIds.map((id) => names.get(id) ?? id).join(', ')}` : `Fits nowhere: ${e.reason ?? ''}`} (policy ${e.policy})`;
}

/**
 * Where the scheduler would place the appliance now, host by host: each candidate with its score
 * (the first is where it goes), each rejected host with the filter that rejected it and why. The
 * query lives under the appliance's key, so its events refresh it.
 */
export function AppliancePlacement({ applianceId, enabled = true }: { applianceId: string; enabled?: boolean }) {
  const placement = useQuery({
    queryKey: ['appliances', applianceId, 'placement'],
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}/placement', { params: { path: { id: applianceId }, query: { limit: 50 } } })),
  });
  const e = placement.data;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">Placement</Title>
        {placement.error && <Alert color="red" role="alert">{errorText(placement.error)}</Alert>}
        {e && (
          <>
            <Text size="sm" data-testid="placement-decision">{decisionText(e)}</Text>
            <Table.ScrollContainer minWidth={560}>
              <Table striped data-testid="placement-hosts">
                <Table.Caption>
                  What the scheduler would decide now: {e.candidates} candidate {e.candidates === 1 ? 'host' : 'hosts'}
                  {e.total > e.hosts.length ? `; the first ${e.hosts.length} of ${e.total} hosts are shown` : ''}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Host</Table.Th>
                    <Table.Th>Verdict</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Why</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {e.hosts.map((h) => (
                    <Table.Tr key={h.hostId}>
                      <Table.Td>{h.host}</Table.Td>
                      <Table.Td>{h.rejectedBy === null ? <Badge color="green" variant="light">candidate</Badge> : <Badge color="gray" variant="light">{h.rejectedBy}</Badge>}</Table.Td>
                      <Table.Td>{h.score ?? '—'}</Table.Td>
                      <Table.Td>{h.reason ?? (h.virtualization ? `fits (${h.virtualization})` : 'fits')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Card>
  );
}
