import { Badge, Group, Text } from '@mantine/core';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { createContext, useContext } from 'react';
import type { StackPlan } from './stack-api.ts';
import type { GraphIssues, MemberNode as MemberNodeType } from './stack-graph.ts';

/** What the nodes show beyond their own data: the problems found and the plan's resolved members. */
export interface BoardInfo {
  issues: GraphIssues;
  resolved: Map<string, StackPlan['members'][number]>;
}

export const BoardContext = createContext<BoardInfo>({ issues: { nodes: new Map(), edges: new Map(), stack: new Map() }, resolved: new Map() });

/** One appliance of the stack on the board: what it is, what it costs, and what is wrong with it. */
export function MemberNode({ id, data, selected }: NodeProps<MemberNodeType>) {
  const { issues, resolved } = useContext(BoardContext);
  const m = data.member;
  const problems = [...(issues.nodes.get(id)?.entries() ?? [])].flatMap(([field, msgs]) => msgs.map((msg) => (field === '' ? msg : `${field}: ${msg}`)));
  const r = resolved.get(m.name);
  return (
    <div className="designer-node" data-selected={selected ? 'true' : undefined} data-invalid={problems.length > 0 ? 'true' : undefined} data-testid={`node-${m.name}`}>
      <Handle type="target" position={Position.Left} />
      <Text fw={700} size="sm">{m.name === '' ? '(no name)' : m.name}</Text>
      <Text size="xs">{m.product} · {m.size}</Text>
      {r && <Text size="xs" c="dimmed">image {r.image.name} · {r.virtualization} · {r.ccuPerHour} CCU/h</Text>}
      <Group gap={4} mt={4}>
        {(m.count ?? 1) > 1 && <Badge size="xs" variant="light">×{m.count}</Badge>}
        {m.ha === true && <Badge size="xs" variant="light">HA</Badge>}
        {m.network !== undefined && <Badge size="xs" variant="outline">{m.network}</Badge>}
      </Group>
      {problems.length > 0 && (
        <ul className="designer-node-problems" data-testid="node-problems">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const nodeTypes = { member: MemberNode };
