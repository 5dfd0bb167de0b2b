import type { Edge, Node, XYPosition } from '@xyflow/react';
import {
  STACK_API_VERSION,
  STACK_KIND,
  stringifyStack,
  type Stack,
  type StackIssue,
  type StackLink,
  type StackMember,
} from '../../../../../src/domain/stack.ts';

/**
 * The designer's model: a stack document as a graph, one node per member and one edge per link.
 * It is a draft: while someone edits it, a member may have no name yet or two members the same
 * one, so it is turned into YAML as it is and `parseStack` says what is wrong (`issuesOnGraph`
 * puts each problem on its node or field). Nodes carry an id of their own (not the member's
 * name), so renaming a member keeps its links; the document holds names only.
 *
 * Everything here is pure: the same graph always gives the same text, and a canonical text turned
 * into a graph and back is the same text byte for byte. Positions are the canvas's only, never in
 * the document (its metadata has no room for them), so the CLI's YAML is the designer's YAML.
 */
export type MemberDraft = StackMember;

export interface MemberData extends Record<string, unknown> {
  member: MemberDraft;
}
export type MemberNode = Node<MemberData, 'member'>;

export interface StackGraph {
  name: string;
  hours: number | undefined;
  /** Whether the document had a `links` key, so one with `links: []` reads back the same. */
  hadLinks: boolean;
  nodes: MemberNode[];
  edges: Edge[];
  /** The next node id's number; ids are never reused within one designer. */
  seq: number;
}

export const NODE_TYPE = 'member';
const GRID = { columns: 3, dx: 280, dy: 170, x0: 40, y0: 40 } as const;

export function emptyGraph(name: string, hours: number | undefined): StackGraph {
  return { name, hours, hadLinks: false, nodes: [], edges: [], seq: 1 };
}

/** Where the i-th member goes when nothing remembers a place for it: a grid, row by row. */
export function gridPosition(i: number): XYPosition {
  return { x: GRID.x0 + (i % GRID.columns) * GRID.dx, y: GRID.y0 + Math.floor(i / GRID.columns) * GRID.dy };
}

/**
 * The graph of a (valid) stack. A member keeps the node it had in `previous` (same name), so its
 * place, selection and id survive an edit of the YAML; otherwise it goes where `positions` says
 * (remembered by this browser) or onto the grid.
 */
export function stackToGraph(stack: Stack, opts: { previous?: StackGraph; positions?: Record<string, XYPosition> } = {}): StackGraph {
  const previous = new Map((opts.previous?.nodes ?? []).map((n) => [n.data.member.name, n]));
  let seq = opts.previous?.seq ?? 1;
  const taken = new Set<string>();
  const nodes: MemberNode[] = stack.spec.appliances.map((m, i) => {
    const before = previous.get(m.name);
    const reuse = before !== undefined && !taken.has(before.id);
    const id = reuse ? before.id : `m${seq++}`;
    taken.add(id);
    const position = reuse ? before.position : (opts.positions?.[m.name] ?? gridPosition(i));
    return {
      id,
      type: NODE_TYPE,
      position,
      data: { member: { ...m } },
      ...(reuse && before.selected ? { selected: true } : {}),
    };
  });
  const idOf = new Map(nodes.map((n) => [n.data.member.name, n.id]));
  const edges = (stack.spec.links ?? []).flatMap((l) => {
    const source = idOf.get(l.from);
    const target = idOf.get(l.to);
    return source === undefined || target === undefined ? [] : [linkEdge(source, target)];
  });
  return { name: stack.metadata.name, hours: stack.spec.hours, hadLinks: stack.spec.links !== undefined, nodes, edges, seq };
}

/** The document the graph stands for, as it is (it may not be valid yet). */
export function graphToDocument(g: StackGraph): Stack {
  const nameOf = new Map(g.nodes.map((n) => [n.id, n.data.member.name]));
  const links: StackLink[] = g.edges.flatMap((e) => {
    const from = nameOf.get(e.source);
    const to = nameOf.get(e.target);
    return from === undefined || to === undefined ? [] : [{ from, to }];
  });
  return {
    apiVersion: STACK_API_VERSION,
    kind: STACK_KIND,
    metadata: { name: g.name },
    spec: {
      ...(g.hours === undefined ? {} : { hours: g.hours }),
      appliances: g.nodes.map((n) => ({ ...n.data.member })),
      ...(links.length > 0 || g.hadLinks ? { links } : {}),
    },
  };
}

/** The graph's YAML, in the canonical form the API stores and the CLI shows. */
export function graphToYaml(g: StackGraph): string {
  return stringifyStack(graphToDocument(g));
}

/** A name no member has yet: `base`, else `base-2`, `base-3`, … */
export function freeMemberName(g: StackGraph, base: string): string {
  const names = new Set(g.nodes.map((n) => n.data.member.name));
  if (!names.has(base)) return base;
  for (let i = 2; i <= g.nodes.length + 1; i++) if (!names.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${g.nodes.length + 2}`;
}

/** Adds a member as a new node (selected, the others not) and says its id. */
export function addMember(g: StackGraph, member: MemberDraft, position?: XYPosition): { graph: StackGraph; id: string } {
  const id = `m${g.seq}`;
  const node: MemberNode = { id, type: NODE_TYPE, position: position ?? gridPosition(g.nodes.length), data: { member: { ...member } }, selected: true };
  return { graph: { ...g, seq: g.seq + 1, nodes: [...g.nodes.map(unselect), node] }, id };
}

export function updateMember(g: StackGraph, id: string, patch: Partial<MemberDraft>): StackGraph {
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      if (n.id !== id) return n;
      const member = { ...n.data.member, ...patch };
      // An optional field set back to "unset" leaves the document (so it reads as it did).
      for (const k of Object.keys(patch) as Array<keyof MemberDraft>) if (member[k] === undefined) delete member[k];
      return { ...n, data: { member } };
    }),
  };
}

export function linkEdge(source: string, target: string): Edge {
  return { id: `link-${source}-${target}`, source, target };
}

/** Links two members (from `source` to `target`), unless that link exists or both are one. */
export function connect(g: StackGraph, source: string, target: string): StackGraph {
  if (source === target) return g;
  if (!g.nodes.some((n) => n.id === source) || !g.nodes.some((n) => n.id === target)) return g;
  if (g.edges.some((e) => e.source === source && e.target === target)) return g;
  return { ...g, edges: [...g.edges, linkEdge(source, target)] };
}

/** Removes members and every link that touches one of them. */
export function removeNodes(g: StackGraph, ids: ReadonlyArray<string>): StackGraph {
  const gone = new Set(ids);
  return {
    ...g,
    nodes: g.nodes.filter((n) => !gone.has(n.id)),
    edges: g.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  };
}

export function removeEdges(g: StackGraph, ids: ReadonlyArray<string>): StackGraph {
  const gone = new Set(ids);
  return { ...g, edges: g.edges.filter((e) => !gone.has(e.id)) };
}

/** Where each member sits on the canvas, by member name (what this browser remembers). */
export function positionsOf(g: StackGraph): Record<string, XYPosition> {
  return Object.fromEntries(g.nodes.map((n) => [n.data.member.name, { x: n.position.x, y: n.position.y }]));
}

function unselect(n: MemberNode): MemberNode {
  return n.selected ? { ...n, selected: false } : n;
}

/** Problems of a graph, placed where a person looks for them. */
export interface GraphIssues {
  /** By node id, then by member field ('' for the member as a whole). */
  nodes: Map<string, Map<string, string[]>>;
  /** By edge id. */
  edges: Map<string, string[]>;
  /** By stack field: 'name', 'hours', 'appliances' ('' for the document). */
  stack: Map<string, string[]>;
}

/**
 * Puts each problem of the graph's document (from `parseStack`, or from the plan, which finds
 * the catalog's problems at the same paths) on its node, link or stack field. Indexes in the
 * paths are the document's, which are the graph's order of nodes and edges.
 */
export function issuesOnGraph(g: StackGraph, issues: ReadonlyArray<StackIssue>): GraphIssues {
  const out: GraphIssues = { nodes: new Map(), edges: new Map(), stack: new Map() };
  const add = <K>(m: Map<K, string[]>, k: K, msg: string) => m.set(k, [...(m.get(k) ?? []), msg]);
  const edges = g.edges.filter((e) => g.nodes.some((n) => n.id === e.source) && g.nodes.some((n) => n.id === e.target));
  for (const issue of issues) {
    const [top, second, index, field] = issue.segments;
    if (top === 'spec' && second === 'appliances' && typeof index === 'number' && g.nodes[index]) {
      const id = (g.nodes[index] as MemberNode).id;
      const byField = out.nodes.get(id) ?? new Map<string, string[]>();
      add(byField, typeof field === 'string' ? field : '', issue.message);
      out.nodes.set(id, byField);
    } else if (top === 'spec' && second === 'links' && typeof index === 'number' && edges[index]) {
      add(out.edges, (edges[index] as Edge).id, issue.message);
    } else if (top === 'metadata' && second === 'name') {
      add(out.stack, 'name', issue.message);
    } else if (top === 'spec' && (second === 'hours' || second === 'appliances')) {
      add(out.stack, second, issue.message);
    } else {
      add(out.stack, '', `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`);
    }
  }
  return out;
}
