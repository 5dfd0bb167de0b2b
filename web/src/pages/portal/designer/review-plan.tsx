import { Alert, Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText, unwrap } from '../../../api/client.ts';
import { changeSummary, formatCcu } from './plan-summary.tsx';
import { applyStack, type StackApplyResult, type StackPlan } from './stack-api.ts';


function changesText(i: StackPlan['instances'][number]): string {
  if (i.action === 'change') return i.changes.map((c) => `${c.field}: ${String(c.from)} → ${String(c.to)}`).join(', ') + (i.how === 'replace' ? ' (replaced)' : i.how === 'move' ? ' (moved)' : '');
  if (i.action === 'remove') return i.current ? `ends ${i.current.name}` : '';
  if (i.action === 'keep') return i.current ? `${i.current.name} (${i.current.state})` : '';
  return i.kind === 'request' ? 'a cloud request' : 'an appliance';
}

/**
 * Plan before apply: what applying the document would create, change and remove, and what the
 * stack costs, then "Apply". The apply names the version the plan saw, so a change to the stack
 * in between is refused (plan again) rather than applied on top of something unseen.
 */
export function ReviewPlan({ yaml, onApplied, onCancel }: { yaml: string; onApplied: (r: StackApplyResult) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const plan = useQuery({
    queryKey: ['stacks', 'plan', yaml],
    queryFn: async () => unwrap(await api.POST('/api/v1/stacks/plan', { body: { yaml } })),
    retry: false,
    staleTime: 0,
  });
  const apply = useMutation({
    mutationFn: async (p: StackPlan) => applyStack(yaml, p.stack.version ?? 0),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['stacks'] });
      onApplied(r);
    },
  });
  if (plan.isPending) return <Loader role="status" aria-label="Planning the stack" />;
  if (plan.error) return <Alert color="red" role="alert">{errorText(plan.error)}</Alert>;
  const p = plan.data;
  return (
    <Stack data-testid="plan-review">
      <Text fw={600} data-testid="review-summary">{p.changes ? changeSummary(p) : 'No changes: the stack already runs as written.'}</Text>
      <Table.ScrollContainer minWidth={480}>
        <Table striped>
          <Table.Caption>What applying stack {p.stack.name} does, per instance</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Appliance</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Details</Table.Th>
              <Table.Th>CCU per hour</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.instances.map((i) => (
              <Table.Tr key={`${i.member}-${i.ordinal}`}>
                <Table.Td>{i.member} #{i.ordinal}</Table.Td>
                <Table.Td fw={i.action === 'keep' ? undefined : 700}>{i.action}</Table.Td>
                <Table.Td>{changesText(i)}</Table.Td>
                <Table.Td>{formatCcu(i.ccuPerHour)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" data-testid="review-price">
        The stack costs <Text span fw={700}>{formatCcu(p.price.ccuPerHour)} CCU per hour</Text> ({p.price.currency.perHour} {p.price.currency.code}); now {formatCcu(p.price.currentCcuPerHour)}.
        {p.price.createdTotalCcu !== null && ` What it creates costs ${formatCcu(p.price.createdTotalCcu)} CCU over its ${p.mode === 'requests' ? 'requests\u2019 window' : 'lifetime'}.`}
      </Text>
      {!p.fits && <Alert color="red" title="It does not fit">{p.reasons.join('; ')}</Alert>}
      {apply.error && <Alert color="red" role="alert">{errorText(apply.error)}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>Back to the designer</Button>
        <Button onClick={() => apply.mutate(p)} loading={apply.isPending} disabled={!p.fits || !p.changes}>Apply</Button>
      </Group>
    </Stack>
  );
}
