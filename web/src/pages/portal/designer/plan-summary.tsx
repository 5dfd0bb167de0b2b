import { Alert, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { errorText } from '../../../api/client.ts';
import type { StackIssue } from '../../../../../src/domain/stack.ts';
import type { StackPlan } from './stack-api.ts';
import { issueText } from './yaml-panel.tsx';

export function formatCcu(n: number): string {
  return n.toLocaleString('en', { maximumFractionDigits: 3 });
}

export function changeSummary(plan: StackPlan): string {
  const s = plan.summary;
  return `${s.create} to create, ${s.change} to change, ${s.remove} to remove, ${s.keep} unchanged`;
}

function Check({ label, fits, reason }: { label: string; fits: boolean; reason?: string | null }) {
  return (
    <Text size="sm" c={fits ? undefined : 'var(--mantine-color-error)'}>
      {label}: <Text span fw={700} inherit>{fits ? '✓ fits' : '✗ does not fit'}</Text>{reason ? ` (${reason})` : ''}
    </Text>
  );
}

/**
 * What the document costs and whether it can run, from the plan endpoint: price per hour, quota,
 * capacity, and what applying it would change. A document with problems is not planned; its
 * problems are listed instead (and shown on the board).
 */
export function PlanSummary({ plan, error, checking, localIssues, planIssues }: { plan: StackPlan | undefined; error: unknown; checking: boolean; localIssues: StackIssue[]; planIssues: StackIssue[] }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="plan-title" data-testid="plan-summary">
      <Group gap="xs">
        <Title order={2} size="h5" id="plan-title">Price and checks</Title>
        {checking && <Loader size="xs" role="status" aria-label="Checking the stack" />}
      </Group>
      <div aria-live="polite">
        {localIssues.length > 0 ? (
          <Alert color="red" p="xs" title="The document has problems">
            <List size="sm">{localIssues.map((i, n) => <List.Item key={n}>{issueText(i)}</List.Item>)}</List>
          </Alert>
        ) : error ? (
          <Alert color="red" p="xs" title="The plan was refused" role="alert">
            {planIssues.length > 0 ? <List size="sm">{planIssues.map((i, n) => <List.Item key={n}>{issueText(i)}</List.Item>)}</List> : <Text size="sm">{errorText(error)}</Text>}
          </Alert>
        ) : plan ? (
          <Stack gap={6}>
            <Text size="sm" data-testid="plan-price">
              <Text span fw={700}>{formatCcu(plan.price.ccuPerHour)} CCU per hour</Text> ({plan.price.currency.perHour} {plan.price.currency.code} per hour)
              {plan.price.createdTotalCcu !== null && plan.window && ` · ${formatCcu(plan.price.createdTotalCcu)} CCU for what it creates, until ${new Date(plan.window.endAt).toLocaleString()}`}
            </Text>
            {plan.quota ? <Check label="Quota" fits={plan.quota.fits} reason={plan.quota.breach} /> : <Text size="sm" c="dimmed">No quota bounds an admin.</Text>}
            <Check label="Capacity" fits={plan.capacity.fits} reason={plan.capacity.reason} />
            <Text size="sm" data-testid="plan-changes">{plan.changes ? changeSummary(plan) : 'No changes: the stack runs as written.'}</Text>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">{checking ? 'Checking…' : 'Add an appliance to see its price.'}</Text>
        )}
      </div>
    </Stack>
  );
}
