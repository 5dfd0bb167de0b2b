import { Alert, Badge, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, errorText, unwrap } from '../../api/client.ts';

const STATE_COLOR: Record<string, string> = { awake: 'teal', 'powering-off': 'orange', off: 'gray', 'powering-on': 'blue', 'not-live': 'red' };

/**
 * Green IT: the power manager's plan (GET /power/plan): every host's power state, what happens to
 * it next and why, its measured boot time and the hours it spent off; and the host-hours saved.
 * Its query key root `power` is made stale by resource and appliance events, so it follows the
 * fleet without polling.
 */
export default function PowerPage() {
  const plan = useQuery({ queryKey: ['power', 'plan'], queryFn: async () => unwrap(await api.GET('/api/v1/power/plan')), staleTime: 0 });
  const p = plan.data;
  return (
    <Stack>
      <Title order={1} size="h2">Power</Title>
      <Text size="sm" c="dimmed">
        Idle hosts are powered off through their BMCs, keeping spares on, and woken ahead of reservations or when appliances wait for capacity.
      </Text>
      {plan.error && <Alert color="red" role="alert" title="Could not load the power plan">{errorText(plan.error)}</Alert>}
      {!p && !plan.error && <Skeleton h={160} />}
      {p && (
        <>
          <Group gap="sm">
            <Badge color={p.enabled ? 'teal.9' : 'gray.8'} variant="filled" data-testid="power-enabled">{p.enabled ? 'Power management on' : 'Power management off'}</Badge>
            <Text size="sm" data-testid="power-saved">{p.hostHoursOff.toFixed(1)} host-hours saved</Text>
            <Text size="sm" c="dimmed">
              Idle {duration(p.settings.idleMs)} before power-off · {p.settings.spareHosts} spare host{p.settings.spareHosts === 1 ? '' : 's'} per virtualization · awake {duration(p.settings.leadMs)} before a reservation, plus its boot time
            </Text>
          </Group>
          <Card withBorder component="section" aria-labelledby="power-hosts-heading">
            <Title order={2} size="h4" mb="sm" id="power-hosts-heading">Hosts</Title>
            <Table.ScrollContainer minWidth={640}>
              <Table striped aria-labelledby="power-hosts-heading">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Host</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Next</Table.Th>
                    <Table.Th>Why</Table.Th>
                    <Table.Th>Boot time</Table.Th>
                    <Table.Th>Hours off</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.hosts.map((h) => (
                    <Table.Tr key={h.hostId} data-testid={`power-${h.host}`}>
                      <Table.Td>{h.host}</Table.Td>
                      <Table.Td><Badge color={STATE_COLOR[h.state] ?? 'gray'} variant="light">{h.state}</Badge></Table.Td>
                      <Table.Td>{h.action === 'none' ? '—' : h.action}</Table.Td>
                      <Table.Td>
                        {h.reason}
                        {h.failures > 0 && <Text size="xs" c="red.9">{h.failures} BMC error{h.failures === 1 ? '' : 's'}: {h.lastError}</Text>}
                      </Table.Td>
                      <Table.Td>{h.bootMs === null ? '—' : `${(h.bootMs / 1000).toFixed(1)} s`}</Table.Td>
                      <Table.Td>{h.offHours.toFixed(1)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {p.hosts.length === 0 && <Text c="dimmed">No hosts.</Text>}
          </Card>
        </>
      )}
    </Stack>
  );
}

const duration = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);
