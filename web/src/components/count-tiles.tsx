import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export interface CountItem {
  /** What is counted, as the list's filter value shows it (running, active, on …). */
  label: string;
  count: number;
  /** The list, filtered to exactly these. */
  to: string;
}

/**
 * A figure and its breakdown, each a link to the list that shows exactly those rows (the filter
 * in the URL), so every number on the dashboard can be followed to what it counts.
 */
export function CountTiles({ title, total, totalLabel, totalTo, items, testId }: { title: string; total: number; totalLabel: string; totalTo: string; items: CountItem[]; testId: string }) {
  return (
    <Card withBorder data-testid={testId}>
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4">{title}</Title>
          <Anchor component={Link} to={totalTo} size="sm" data-testid={`${testId}-total`}>
            <Text span fw={700} size="lg">{total.toLocaleString()}</Text> {totalLabel}
          </Anchor>
        </Group>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" verticalSpacing="xs">
          {items.map((i) => (
            <Anchor
              key={i.label}
              component={Link}
              to={i.to}
              underline="never"
              c={i.count === 0 ? 'dimmed' : undefined}
              data-testid={`${testId}-${i.label}`}
              style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)', padding: '4px 8px' }}
            >
              <Text span fw={700}>{i.count.toLocaleString()}</Text> <Text span size="sm">{i.label}</Text>
            </Anchor>
          ))}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
