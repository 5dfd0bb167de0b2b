import { Alert, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { errorText } from '../../../api/client.ts';
import { PhaseBadge } from '../../../components/phase-badge.tsx';
import { useStackDetail } from './stack-api.ts';

/** The applied stack as it runs: each instance's request or appliance and its state, kept live. */
export function StackStatus({ name }: { name: string }) {
  const detail = useStackDetail(name);
  if (detail.isPending) return <Loader size="sm" role="status" aria-label="Loading the stack" />;
  if (detail.error) return <Alert color="red">{errorText(detail.error)}</Alert>;
  const s = detail.data;
  return (
    <Stack gap="xs" component="section" aria-labelledby="status-title" data-testid="stack-status">
      <Title order={2} size="h5" id="status-title">Stack {s.name} as it runs (version {s.version})</Title>
      {s.instances.length === 0 ? (
        <Text size="sm" c="dimmed">No instances.</Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table>
            <Table.Caption>Instances of stack {s.name}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Appliance</Table.Th>
                <Table.Th>{s.instances[0]?.kind === 'request' ? 'Request' : 'Object'}</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Address</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.instances.map((i) => (
                <Table.Tr key={`${i.member}-${i.ordinal}`} data-testid={`instance-${i.member}-${i.ordinal}`}>
                  <Table.Td>{i.member} #{i.ordinal}</Table.Td>
                  <Table.Td>{i.object ? `${i.kind} ${i.object.name}` : `${i.kind} (gone)`}</Table.Td>
                  <Table.Td>{i.object ? <PhaseBadge phase={i.object.state} /> : '—'}{i.object?.reason ? <Text span size="xs"> {i.object.reason}</Text> : null}</Table.Td>
                  <Table.Td>{i.object?.address ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
