import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { parseStack, stringifyStack, type StackIssue } from '../../../../../src/domain/stack.ts';
import {
  addMember,
  connect,
  graphToYaml,
  removeEdges,
  removeNodes,
  stackToGraph,
  updateMember,
  type MemberDraft,
  type MemberNode,
  type StackGraph,
} from './stack-graph.ts';

/**
 * The designer's state: the graph on the canvas and the YAML beside it, kept in step both ways.
 * A change on the canvas rewrites the YAML (canonical); a change of the YAML that parses redraws
 * the canvas; one that does not keeps the last good canvas and lists its problems with lines.
 * `issues` are always those of the YAML shown, as `parseStack` reports them.
 */
export interface DesignerState {
  graph: StackGraph;
  yaml: string;
  issues: StackIssue[];
  /** True while the YAML shown does not parse: the canvas is the last version that did. */
  yamlBroken: boolean;
}

export type DesignerAction =
  | { type: 'load'; yaml: string; positions?: Record<string, XYPosition> }
  /** A new stack: the board and the YAML start from `graph`. */
  | { type: 'reset'; graph: StackGraph }
  | { type: 'yaml-typed'; yaml: string }
  /** The YAML box lost focus: a text that parses is shown in its canonical form. */
  | { type: 'yaml-settled' }
  | { type: 'stack-field'; name?: string; hours?: number | undefined }
  | { type: 'add'; member: MemberDraft; position?: XYPosition }
  | { type: 'update'; id: string; patch: Partial<MemberDraft> }
  | { type: 'connect'; source: string; target: string }
  | { type: 'remove-nodes'; ids: string[] }
  | { type: 'remove-edges'; ids: string[] }
  | { type: 'select'; id: string | null }
  | { type: 'node-changes'; changes: NodeChange<MemberNode>[] }
  | { type: 'edge-changes'; changes: EdgeChange[] };

export function initialState(graph: StackGraph): DesignerState {
  return fromGraph(graph);
}

function fromGraph(graph: StackGraph): DesignerState {
  const yaml = graphToYaml(graph);
  const r = parseStack(yaml);
  return { graph, yaml, issues: r.errors ?? [], yamlBroken: false };
}

function fromYaml(state: DesignerState, yaml: string, positions?: Record<string, XYPosition>): DesignerState {
  const r = parseStack(yaml);
  if (r.errors) return { ...state, yaml, issues: r.errors, yamlBroken: true };
  return { graph: stackToGraph(r.stack, { previous: state.graph, positions }), yaml, issues: [], yamlBroken: false };
}

export function designerReducer(state: DesignerState, action: DesignerAction): DesignerState {
  switch (action.type) {
    case 'load': {
      const r = parseStack(action.yaml);
      if (r.errors) return { ...state, yaml: action.yaml, issues: r.errors, yamlBroken: true };
      // A stack opened from the server starts afresh: its own places, not the last stack's.
      return fromGraph(stackToGraph(r.stack, { positions: action.positions }));
    }
    case 'reset':
      return fromGraph(action.graph);
    case 'yaml-typed':
      return fromYaml(state, action.yaml);
    case 'yaml-settled': {
      const r = parseStack(state.yaml);
      return r.errors ? state : { ...state, yaml: stringifyStack(r.stack) };
    }
    case 'stack-field': {
      const graph = { ...state.graph };
      if (action.name !== undefined) graph.name = action.name;
      if ('hours' in action) graph.hours = action.hours;
      return fromGraph(graph);
    }
    case 'add':
      return fromGraph(addMember(state.graph, action.member, action.position).graph);
    case 'update':
      return fromGraph(updateMember(state.graph, action.id, action.patch));
    case 'connect':
      return fromGraph(connect(state.graph, action.source, action.target));
    case 'remove-nodes':
      return fromGraph(removeNodes(state.graph, action.ids));
    case 'remove-edges':
      return fromGraph(removeEdges(state.graph, action.ids));
    case 'select':
      return {
        ...state,
        graph: {
          ...state.graph,
          nodes: state.graph.nodes.map((n) => ((n.selected ?? false) === (n.id === action.id) ? n : { ...n, selected: n.id === action.id })),
          edges: state.graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        },
      };
    case 'node-changes': {
      const removed = action.changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []));
      // Moving, measuring and selecting change the canvas only; the document stays as it is.
      const rest = action.changes.filter((c) => c.type !== 'remove');
      const moved = rest.length > 0 ? { ...state, graph: { ...state.graph, nodes: applyNodeChanges(rest, state.graph.nodes) } } : state;
      return removed.length > 0 ? fromGraph(removeNodes(moved.graph, removed)) : moved;
    }
    case 'edge-changes': {
      const removed = action.changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []));
      const rest = action.changes.filter((c) => c.type !== 'remove');
      const moved = rest.length > 0 ? { ...state, graph: { ...state.graph, edges: applyEdgeChanges(rest, state.graph.edges) } } : state;
      return removed.length > 0 ? fromGraph(removeEdges(moved.graph, removed)) : moved;
    }
  }
}

/** The canonical text of the document, when the YAML shown is a valid stack. */
export function validYaml(state: DesignerState): string | undefined {
  return state.issues.length === 0 && !state.yamlBroken ? graphToYaml(state.graph) : undefined;
}
