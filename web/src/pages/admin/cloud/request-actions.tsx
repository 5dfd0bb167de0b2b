import { Button, Group, Text } from '@mantine/core';
import type { CloudRequest } from './cloud-types.ts';
import type { Decision } from './decision-dialog.tsx';

/** A request waits for an admin while it is new and nobody has decided it. */
export const waitsForDecision = (r: CloudRequest): boolean => r.status.state === 'new' && r.spec.decision === null;

/** Approve and Deny for a request that waits; what happens to it otherwise. */
export function RequestActions({ request, onDecide, size = 'xs' }: { request: CloudRequest; onDecide: (d: Decision) => void; size?: 'xs' | 'sm' }) {
  if (request.status.state === 'new' && request.spec.decision !== null) return <Text size="sm" c="dimmed">deciding…</Text>;
  if (!waitsForDecision(request)) return null;
  const target = { id: request.id, name: request.name };
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size={size} color="green" variant="light" aria-label={`Approve ${request.name}`} onClick={() => onDecide({ verb: 'approve', request: target })}>Approve</Button>
      <Button size={size} color="red" variant="light" aria-label={`Deny ${request.name}`} onClick={() => onDecide({ verb: 'deny', request: target })}>Deny</Button>
    </Group>
  );
}
