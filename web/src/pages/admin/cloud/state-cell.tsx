import { Box } from '@mantine/core';
import { PhaseBadge } from '../../../components/phase-badge.tsx';

/** A state in a table cell, never cut short however narrow the table gets. */
export function StateCell({ state }: { state: string }) {
  return <Box miw="max-content"><PhaseBadge phase={state} /></Box>;
}
