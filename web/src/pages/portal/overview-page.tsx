import { Card, Stack, Title } from '@mantine/core';
import { RecentEvents } from '../../components/recent-events.tsx';
import { usePrincipal } from '../../session/session-context.tsx';

export default function OverviewPage() {
  const me = usePrincipal();
  return (
    <Stack>
      <Title order={1} size="h2">Welcome, {me.name}</Title>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">What happened lately</Title>
        <RecentEvents />
      </Card>
    </Stack>
  );
}
