import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  running: 'green',
  active: 'green',
  ready: 'green',
  pending: 'yellow',
  placing: 'yellow',
  starting: 'yellow',
  provisioning: 'yellow',
  new: 'blue',
  approved: 'blue',
  stopping: 'orange',
  moving: 'orange',
  stopped: 'gray',
  paused: 'gray',
  failed: 'red',
  denied: 'red',
  lost: 'red',
};

/** A state as a coloured word; the word carries the meaning, the colour only helps. */
export function PhaseBadge({ phase }: { phase: string }) {
  return <Badge color={COLORS[phase] ?? 'gray'} variant="light" data-testid="phase">{phase}</Badge>;
}
