import { Badge } from '@mantine/core';
import type { Resource } from './inventory-types.ts';

const STATE: Record<Resource['status']['state'], string> = { active: 'green', idle: 'blue', off: 'gray', error: 'red', unknown: 'yellow' };
const POWER: Record<Resource['status']['powerState'], string> = { on: 'green', off: 'gray', unknown: 'yellow' };

/** A resource's state and its power as words (the colour only helps). */
export function ResourceStateBadge({ state }: { state: Resource['status']['state'] }) {
  return <Badge color={STATE[state]} variant="light" miw="max-content" data-testid="resource-state">{state}</Badge>;
}

export function PowerBadge({ power }: { power: Resource['status']['powerState'] }) {
  return <Badge color={POWER[power]} variant="light" miw="max-content" data-testid="power-state">power {power}</Badge>;
}
