import { Box, type BoxProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { PhaseBadge } from '../../components/phase-badge.tsx';

/**
 * A badge that a table column cannot squeeze: a badge's label cuts itself short with an ellipsis
 * when its cell narrows, which would leave "ACTI…" for "active".
 */
export function Whole({ children, ...rest }: { children: ReactNode } & BoxProps) {
  return <Box component="span" display="inline-block" miw="max-content" {...rest}>{children}</Box>;
}

export function StateBadge({ phase }: { phase: string }) {
  return <Whole><PhaseBadge phase={phase} /></Whole>;
}
