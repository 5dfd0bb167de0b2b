import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = { OK: 'green', WARNING: 'yellow', CRITICAL: 'red', UNKNOWN: 'gray' };

/** A health check's state and whether it is soft or hard, as words; the colour only helps. */
export function CheckStateBadge({ state, type, label }: { state: string; type: string; label?: string }) {
  return (
    <Badge color={COLORS[state] ?? 'gray'} variant="light" data-testid="check-state">
      {`${label ? `${label} ` : ''}${state} ${type.toLowerCase()}`}
    </Badge>
  );
}
