import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { inBackground } from '../../../api/background.ts';
import { ApiError, api, unwrap } from '../../../api/client.ts';
import type { components, paths } from '../../../api/schema';
import { useLiveEvent } from '../../../live/live-events.tsx';
import type { StackIssue } from '../../../../../src/domain/stack.ts';

export type StackPlan = components['schemas']['StackPlan'];
export type StackDetail = paths['/api/v1/stacks/{name}']['get']['responses']['200']['content']['application/json'];
export type StackApplyResult = paths['/api/v1/stacks/apply']['post']['responses']['200']['content']['application/json'];

/** How long the designer waits after the last change before it asks for a plan. */
export const PLAN_DEBOUNCE_MS = 400;

/**
 * The plan of the document being designed: its price per hour, whether it fits quota and
 * capacity, and what applying it would do. Asked for a moment after the last change (the text
 * is debounced) and only for a document that parses; under the 'stacks' root, so an applied or
 * deleted stack plans again by itself.
 */
export function usePlan(yaml: string | undefined) {
  const [settled] = useDebouncedValue(yaml, PLAN_DEBOUNCE_MS);
  const current = settled === yaml ? settled : undefined;
  const query = useQuery({
    queryKey: ['stacks', 'plan', current],
    queryFn: async () => unwrap(await api.POST('/api/v1/stacks/plan', { body: { yaml: current ?? '' } })),
    enabled: current !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });
  return { ...query, waiting: yaml !== undefined && current === undefined };
}

/** The problems a refused plan or apply names in the document (FY_STACK_INVALID, FY_NOT_OFFERED). */
export function issuesOfError(e: unknown): StackIssue[] {
  if (!(e instanceof ApiError)) return [];
  const issues = e.details?.issues;
  return Array.isArray(issues) ? (issues as StackIssue[]) : [];
}

export function useStackList() {
  return useQuery({
    queryKey: ['stacks', 'list'],
    queryFn: async () => unwrap(await api.GET('/api/v1/stacks', { params: { query: { limit: 200 } } })).items,
  });
}

export async function fetchStack(name: string): Promise<StackDetail> {
  return unwrap(await api.GET('/api/v1/stacks/{name}', { params: { path: { name }, query: {} } }));
}

/**
 * A stack as the server has it, with the state of each instance. Its requests and appliances
 * change without the stack changing, so their live events refresh it too.
 */
export function useStackDetail(name: string | undefined) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['stacks', 'detail', name],
    queryFn: async () => fetchStack(name ?? ''),
    enabled: name !== undefined,
    retry: false,
  });
  const ids = new Set((query.data?.instances ?? []).flatMap((i) => (i.object ? [i.object.id, ...i.object.applianceIds] : [])));
  useLiveEvent(
    (e) => name !== undefined && (e.kind === 'request' || e.kind === 'appliance') && ids.has(e.objectId),
    () => inBackground(queryClient.invalidateQueries({ queryKey: ['stacks', 'detail', name] }), 'refreshing the stack'),
  );
  return query;
}

export async function applyStack(yaml: string, version: number): Promise<StackApplyResult> {
  return unwrap(await api.POST('/api/v1/stacks/apply', { body: { yaml, version } }));
}
