import { Stack, Text, Title } from '@mantine/core';
import { HostsTable } from './inventory/hosts-table.tsx';
import { JoinTokens } from './inventory/join-tokens.tsx';
import { PhysicalServers } from './inventory/physical-servers.tsx';
import { SlotsTable } from './inventory/slots-table.tsx';

/**
 * The data center's machines: hosts (machines with the agent), the physical servers they
 * network-boot, the slots (VMs, containers) placed on them, and the join tokens that let new
 * machines in. Every list pages on the server and refreshes on resource, appliance and
 * join-token events.
 */
export default function ResourcesPage() {
  return (
    <Stack gap="xl">
      <Title order={1} size="h2">Resources</Title>
      <Stack gap="sm">
        <Title order={2} size="h3">Hosts</Title>
        <HostsTable />
      </Stack>
      <PhysicalServers />
      <Stack gap="sm">
        <Title order={2} size="h3">Slots</Title>
        <Text size="sm" c="dimmed">What runs where: each VM or container placed on a host, with its appliance.</Text>
        <SlotsTable />
      </Stack>
      <JoinTokens />
    </Stack>
  );
}
