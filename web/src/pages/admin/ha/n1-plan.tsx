import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { FailureScenario, HaPlan } from '../../../api/types.ts';

/** Whether the fleet survives any one host failing, as a badge (the dashboard shows it too). */
export function ToleranceBadge({ tolerates }: { tolerates: boolean }) {
  return (
    <Badge color={tolerates ? 'teal.9' : 'red.9'} variant="filled" data-testid="n1-badge">
      {tolerates ? 'N+1 holds' : 'N+1 lost'}
    </Badge>
  );
}

/**
 * The N+1 plan: per scenario (one host failing, or the hosts asked about together) where each
 * of its HA appliances would restart, or why it could not, and which appliances are lost.
 */
export function N1Plan({ plan }: { plan: HaPlan }) {
  return (
    <Stack>
      <Group gap="sm">
        <ToleranceBadge tolerates={plan.tolerates} />
        <Text size="sm" data-testid="n1-summary">
          {plan.tolerates
            ? `Every one of ${plan.haAppliances} HA appliances restarts elsewhere whichever host fails.`
            : 'Some HA appliances could not restart elsewhere if one host failed.'}
        </Text>
      </Group>
      {plan.scenarios.length === 0 && <Text c="dimmed">No live host: nothing to plan.</Text>}
      {plan.scenarios.map((s) => (
        <ScenarioCard key={s.failed.map((h) => h.id).join(',')} s={s} />
      ))}
    </Stack>
  );
}

function ScenarioCard({ s }: { s: FailureScenario }) {
  const names = s.failed.map((h) => h.name).join(', ');
  const id = `scenario-${s.failed.map((h) => h.id).join('-')}`;
  return (
    <Card withBorder component="section" aria-labelledby={id} data-testid={`scenario-${names}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id={id}>If {names} failed</Title>
        {s.unplaced > 0 ? <Badge color="red">{s.unplaced} cannot restart</Badge> : <Badge color="teal" variant="light">all restart</Badge>}
      </Group>
      {s.restarts.length === 0 && s.lost.length === 0 ? (
        <Text size="sm" c="dimmed">Nothing runs there that would need to restart.</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Appliance</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.restarts.map((r) => (
                <Table.Tr key={r.applianceId}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.fits ? `restarts on ${r.to?.name ?? '?'}` : <Text span c="red.8" fw={700}>cannot restart</Text>}</Table.Td>
                  <Table.Td>{r.reason ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
              {s.lost.map((l) => (
                <Table.Tr key={l.applianceId}>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td>lost (not HA)</Table.Td>
                  <Table.Td>—</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
