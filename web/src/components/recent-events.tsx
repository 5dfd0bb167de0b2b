import { Badge, Group, Stack, Text } from '@mantine/core';
import { useRecentEvents } from '../live/live-events.tsx';

/** Events as they stream in, newest first; a screen reader hears each new one. */
export function RecentEvents({ limit = 12 }: { limit?: number }) {
  const events = useRecentEvents().slice(0, limit);
  return (
    <Stack gap={4} aria-live="polite" data-testid="recent-events">
      {events.length === 0 && <Text c="dimmed" size="sm">Waiting for the next event…</Text>}
      {events.map((e) => (
        <Group key={e.seq} gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed" w={70} style={{ flexShrink: 0 }}>{new Date(e.time).toLocaleTimeString()}</Text>
          <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>{e.type}</Badge>
          <Text size="sm" truncate>{e.message}</Text>
        </Group>
      ))}
    </Stack>
  );
}
