import { Alert, Button, Card, Grid, Group, Modal, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useReducedMotion } from '@mantine/hooks';
import { ReactFlowProvider } from '@xyflow/react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { inBackground } from '../../api/background.ts';
import { errorText } from '../../api/client.ts';
import { usePrincipal } from '../../session/session-context.tsx';
import { STACK_LIMITS } from '../../../../src/domain/stack.ts';
import { AddApplianceForm } from './designer/add-appliance-form.tsx';
import { useCatalog } from './designer/catalog.ts';
import { DesignerCanvas } from './designer/designer-canvas.tsx';
import { designerReducer, initialState, validYaml } from './designer/designer-state.ts';
import { BoardContext } from './designer/member-node.tsx';
import { MemberPanel } from './designer/member-panel.tsx';
import { Palette } from './designer/palette.tsx';
import { PlanSummary } from './designer/plan-summary.tsx';
import { loadPositions, savePositions } from './designer/positions.ts';
import { ReviewPlan } from './designer/review-plan.tsx';
import { fetchStack, issuesOfError, usePlan, useStackList } from './designer/stack-api.ts';
import { emptyGraph, freeMemberName, issuesOnGraph, positionsOf } from './designer/stack-graph.ts';
import { StackStatus } from './designer/stack-status.tsx';
import { YamlPanel } from './designer/yaml-panel.tsx';
import './designer/designer.css';

/** Cloud users' requests need an end; a day is what most ask for first. */
const DEFAULT_HOURS = 24;

/**
 * The stack designer: a board of appliances and their links (drag products from the palette,
 * connect appliances), the stack's YAML beside it (either side edits the other), its price and
 * checks from the plan endpoint as it changes, and "Review plan" → "Apply". `?stack=NAME` opens
 * a stack the caller has applied before. Admins and cloud users share the page: a cloud user's
 * stack orders cloud requests, an admin's makes appliances.
 */
export default function DesignerPage() {
  const me = usePrincipal();
  const admin = me.role === 'admin';
  const catalog = useCatalog();
  const stacks = useStackList();
  const [params, setParams] = useSearchParams();
  const [state, dispatch] = useReducer(designerReducer, undefined, () => initialState(emptyGraph('my-stack', admin ? undefined : DEFAULT_HOURS)));
  const [notice, setNotice] = useState('');
  const [adding, setAdding] = useState(false);
  const [reviewing, setReviewing] = useState<string | undefined>(undefined);
  // Someone who asked for less motion gets the dialogs at once, not faded in.
  const modalTransition = useReducedMotion() ? { duration: 0 } : undefined;

  // The stack whose applied document the board started from (undefined: a new stack).
  const [loaded, setLoaded] = useState<string | undefined>(undefined);
  const queryClient = useQueryClient();
  const open = async (name: string) => {
    try {
      const d = await queryClient.fetchQuery({ queryKey: ['stacks', 'detail', name], queryFn: () => fetchStack(name), staleTime: 0 });
      dispatch({ type: 'load', yaml: d.yaml, positions: loadPositions(me.userId, name) });
      setLoaded(name);
      setParams({ stack: name });
      setNotice(`Opened stack ${name} (version ${d.version}).`);
    } catch (e) {
      setNotice(`Stack ${name} could not be opened: ${errorText(e)}`);
    }
  };
  // A link to ?stack=NAME opens that stack once, when the page comes up.
  const linked = useRef(params.get('stack'));
  useEffect(() => {
    if (linked.current) inBackground(open(linked.current), 'opening a stack');
  }, []);

  const { graph } = state;
  // Saved when the appliances move or change, not on every letter of a new stack name.
  useEffect(() => {
    if (graph.name === '' || graph.nodes.some((n) => n.dragging)) return;
    savePositions(me.userId, graph.name, positionsOf(graph));
  }, [graph.nodes, me.userId]);

  const yaml = validYaml(state);
  const plan = usePlan(yaml);
  const planIssues = useMemo(() => (plan.error ? issuesOfError(plan.error) : []), [plan.error]);
  const board = useMemo(
    () => ({
      issues: issuesOnGraph(graph, state.yamlBroken ? [] : [...state.issues, ...planIssues]),
      resolved: new Map((plan.data?.members ?? []).map((m) => [m.name, m])),
    }),
    [graph, state.issues, state.yamlBroken, planIssues, plan.data],
  );
  const selected = graph.nodes.find((n) => n.selected);
  const stackError = (f: string) => board.issues.stack.get(f)?.join('; ');

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">Stack designer</Title>
        <Group align="flex-end">
          <Select
            label="Open a stack"
            placeholder={stacks.isPending ? 'Loading…' : stacks.data?.length ? 'Pick a stack' : 'No stacks yet'}
            data={(stacks.data ?? []).filter((s) => s.ownerId === me.userId).map((s) => s.name)}
            value={loaded ?? null}
            onChange={(v) => v && inBackground(open(v), 'opening a stack')}
            w={200}
          />
          <Button variant="default" onClick={() => {
            setLoaded(undefined);
            setParams({});
            dispatch({ type: 'reset', graph: emptyGraph('my-stack', admin ? undefined : DEFAULT_HOURS) });
          }}>New stack</Button>
        </Group>
      </Group>

      <Group align="flex-start">
        <TextInput label="Stack name" value={graph.name} onChange={(e) => dispatch({ type: 'stack-field', name: e.currentTarget.value })} error={stackError('name')} w={220} />
        <NumberInput
          label="Hours"
          description={admin ? "Admins' appliances have no end" : 'How long the appliances run, from the apply'}
          min={1}
          max={STACK_LIMITS.maxHours}
          allowDecimal={false}
          value={graph.hours ?? ''}
          onChange={(v) => dispatch({ type: 'stack-field', hours: v === '' ? undefined : Number(v) })}
          error={stackError('hours')}
          w={220}
        />
        <Group mt={25}>
          <Button variant="default" onClick={() => setAdding(true)} disabled={catalog.products.length === 0}>Add appliance</Button>
          <Button onClick={() => yaml && setReviewing(yaml)} disabled={yaml === undefined}>Review plan</Button>
        </Group>
      </Group>
      {catalog.error ? <Alert color="red">{errorText(catalog.error)}</Alert> : null}
      <Text size="sm" role="status" data-testid="designer-notice">{notice}</Text>

      <BoardContext.Provider value={board}>
        <Grid>
          <Grid.Col span={{ base: 12, md: 3, lg: 2 }}>
            <Palette catalog={catalog} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9, lg: 6 }}>
            <section aria-label="Stack board" className="designer-board" data-testid="designer-board">
              <ReactFlowProvider>
                <DesignerCanvas graph={graph} catalog={catalog} dispatch={dispatch} onNotice={setNotice} />
              </ReactFlowProvider>
            </section>
            {stackError('appliances') && <Text size="sm" c="red">{stackError('appliances')}</Text>}
            {stackError('') && <Text size="sm" c="red">{stackError('')}</Text>}
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <YamlPanel
              yaml={state.yaml}
              issues={state.issues}
              broken={state.yamlBroken}
              onChange={(text) => dispatch({ type: 'yaml-typed', yaml: text })}
              onSettle={() => dispatch({ type: 'yaml-settled' })}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Card withBorder>
              {selected ? (
                <MemberPanel key={selected.id} graph={graph} node={selected} catalog={catalog} issues={board.issues} dispatch={dispatch} />
              ) : (
                <Text size="sm" c="dimmed">Select an appliance on the board to edit it.</Text>
              )}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Card withBorder>
              <PlanSummary plan={plan.data} error={plan.error} checking={plan.waiting || plan.isFetching} localIssues={state.yamlBroken ? [] : state.issues} planIssues={planIssues} />
            </Card>
          </Grid.Col>
        </Grid>
      </BoardContext.Provider>

      {loaded && (
        <Card withBorder>
          <StackStatus name={loaded} />
        </Card>
      )}

      <Modal opened={adding} onClose={() => setAdding(false)} title="Add appliance" closeButtonProps={{ 'aria-label': 'Close' }} transitionProps={modalTransition}>
        <AddApplianceForm
          catalog={catalog}
          suggestName={(p) => freeMemberName(graph, p)}
          onAdd={(member) => {
            dispatch({ type: 'add', member });
            setAdding(false);
            setNotice(`Added appliance ${member.name}.`);
          }}
        />
      </Modal>
      <Modal opened={reviewing !== undefined} onClose={() => setReviewing(undefined)} title="Review plan" size="xl" closeButtonProps={{ 'aria-label': 'Close' }} transitionProps={modalTransition}>
        {reviewing !== undefined && (
          <ReviewPlan
            yaml={reviewing}
            onCancel={() => setReviewing(undefined)}
            onApplied={(r) => {
              setReviewing(undefined);
              savePositions(me.userId, r.stack.name, positionsOf(graph));
              setLoaded(r.stack.name);
              setParams({ stack: r.stack.name });
              setNotice(`Applied stack ${r.stack.name} (version ${r.stack.version}): ${r.done.length} instance${r.done.length === 1 ? '' : 's'} touched.`);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
