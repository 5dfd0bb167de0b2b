import { Alert, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, errorText, unwrap } from '../../api/client.ts';

/**
 * What an appliance's configuration groups make of it: the classes Puppet's external node
 * classifier gives it (with their parameters) and the cloud-init user-data a VM boots with. Read
 * under the appliance's key, so a change of the appliance refreshes it.
 */
export function ApplianceConfiguration({ applianceId, enabled = true }: { applianceId: string; enabled?: boolean }) {
  const view = useQuery({
    queryKey: ['appliances', applianceId, 'configuration'],
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}/configuration', { params: { path: { id: applianceId } } })),
  });
  const classes = Object.entries(view.data?.enc.classes ?? {});
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">Configuration</Title>
        {view.error && <Alert color="red" role="alert">{errorText(view.error)}</Alert>}
        {view.data && (
          <>
            <Group gap="xs">
              <Text size="sm"><b>Groups:</b> {view.data.groups.length > 0 ? view.data.groups.join(', ') : 'none'}</Text>
              <Text size="sm">· <b>Puppet certname:</b> <Code>{view.data.certname}</Code></Text>
            </Group>
            {classes.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="enc-no-classes">Its groups give Puppet no classes.</Text>
            ) : (
              <Table.ScrollContainer minWidth={420}>
                <Table striped data-testid="enc-classes">
                  <Table.Caption>Puppet classes from its groups (a later group wins a parameter)</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Class</Table.Th>
                      <Table.Th>Parameters</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {classes.map(([name, params]) => (
                      <Table.Tr key={name}>
                        <Table.Td><Code>{name}</Code></Table.Td>
                        <Table.Td><Code>{Object.keys(params).length > 0 ? JSON.stringify(params) : '—'}</Code></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Text size="sm" fw={600} id={`user-data-${applianceId}`}>cloud-init user-data (a VM boots with it)</Text>
            <Code block aria-labelledby={`user-data-${applianceId}`} data-testid="cloud-init-user-data">{view.data.cloudInit.userData}</Code>
          </>
        )}
      </Stack>
    </Card>
  );
}
