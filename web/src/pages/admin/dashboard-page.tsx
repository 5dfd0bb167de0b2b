import { Card, SimpleGrid, Stack, Title } from '@mantine/core';
import { RecentEvents } from '../../components/recent-events.tsx';

export default function DashboardPage() {
  return (
    <Stack>
      <Title order={1} size="h2">Dashboard</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">Recent events</Title>
          <RecentEvents />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
