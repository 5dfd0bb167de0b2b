import { describe, expect, it } from 'vitest';
import { parseStack, type Stack } from '../../../../../src/domain/stack.ts';
import { designerReducer, initialState, validYaml, type DesignerState } from './designer-state.ts';
import {
  addMember,
  connect,
  emptyGraph,
  freeMemberName,
  graphToYaml,
  issuesOnGraph,
  positionsOf,
  removeEdges,
  removeNodes,
  stackToGraph,
  updateMember,
  type StackGraph,
} from './stack-graph.ts';

const SHOP = `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: shop
spec:
  hours: 24
  appliances:
    - name: web
      product: small
      size: s
      virtualization: container
      network: default
      ha: false
      count: 2
    - name: db
      product: small
      size: s
    - name: cache
      product: small
      size: s
      ha: true
  links:
    - from: web
      to: db
    - from: web
      to: cache
`;

function parsed(text: string): Stack {
  const r = parseStack(text);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.stack;
}

const names = (g: StackGraph) => g.nodes.map((n) => n.data.member.name);

describe('stack ↔ graph', () => {
  it('turns a canonical document into a graph and back into the same text, byte for byte', () => {
    const g = stackToGraph(parsed(SHOP));
    expect(names(g)).toEqual(['web', 'db', 'cache']);
    expect(g.edges.map((e) => [e.source, e.target])).toEqual([['m1', 'm2'], ['m1', 'm3']]);
    expect(graphToYaml(g)).toBe(SHOP);
  });

  it('keeps optional fields exactly as written: absent stays absent, an empty links list stays', () => {
    const bare = `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: one
spec:
  appliances:
    - name: solo
      product: small
      size: s
  links: []
`;
    const g = stackToGraph(parsed(bare));
    expect(graphToYaml(g)).toBe(bare);
    const noLinks = bare.replace('  links: []\n', '');
    expect(graphToYaml(stackToGraph(parsed(noLinks)))).toBe(noLinks);
  });

  it('adds a member at the end, with a name no other member has', () => {
    const g = stackToGraph(parsed(SHOP));
    const name = freeMemberName(g, 'web');
    expect(name).toBe('web-2');
    const { graph, id } = addMember(g, { name, product: 'small', size: 's' }, { x: 500, y: 90 });
    expect(id).toBe('m4');
    expect(names(graph)).toEqual(['web', 'db', 'cache', 'web-2']);
    expect(graph.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['m4']);
    const stack = parsed(graphToYaml(graph));
    expect(stack.spec.appliances[3]).toEqual({ name: 'web-2', product: 'small', size: 's' });
    expect(stack.spec.links).toEqual([{ from: 'web', to: 'db' }, { from: 'web', to: 'cache' }]);
  });

  it('connects two members once, from source to target, and never a member to itself', () => {
    const g = stackToGraph(parsed(SHOP));
    const linked = connect(g, 'm2', 'm3');
    expect(parsed(graphToYaml(linked)).spec.links).toEqual([{ from: 'web', to: 'db' }, { from: 'web', to: 'cache' }, { from: 'db', to: 'cache' }]);
    expect(connect(linked, 'm2', 'm3')).toBe(linked);
    expect(connect(linked, 'm2', 'm2')).toBe(linked);
    expect(connect(linked, 'm2', 'nope')).toBe(linked);
  });

  it('a link starts the links list of a document that had none', () => {
    const g = addMember(addMember(emptyGraph('pair', 2), { name: 'a', product: 'small', size: 's' }).graph, { name: 'b', product: 'small', size: 's' }).graph;
    expect(graphToYaml(g)).not.toContain('links');
    expect(parsed(graphToYaml(connect(g, 'm1', 'm2'))).spec.links).toEqual([{ from: 'a', to: 'b' }]);
    // Removing the only link leaves the document as it was before.
    expect(graphToYaml(removeEdges(connect(g, 'm1', 'm2'), ['link-m1-m2']))).toBe(graphToYaml(g));
  });

  it('deleting a member deletes its links too; deleting a link keeps both members', () => {
    const g = stackToGraph(parsed(SHOP));
    const noWeb = removeNodes(g, ['m1']);
    const stack = parsed(graphToYaml(noWeb));
    expect(stack.spec.appliances.map((m) => m.name)).toEqual(['db', 'cache']);
    expect(stack.spec.links).toEqual([]);
    const oneLink = parsed(graphToYaml(removeEdges(g, ['link-m1-m2'])));
    expect(oneLink.spec.appliances).toHaveLength(3);
    expect(oneLink.spec.links).toEqual([{ from: 'web', to: 'cache' }]);
  });

  it('renaming a member renames it in its links; unsetting a field removes it from the document', () => {
    const g = updateMember(stackToGraph(parsed(SHOP)), 'm1', { name: 'front', ha: undefined, count: undefined });
    const stack = parsed(graphToYaml(g));
    expect(stack.spec.appliances[0]).toEqual({ name: 'front', product: 'small', size: 's', virtualization: 'container', network: 'default' });
    expect(stack.spec.links).toEqual([{ from: 'front', to: 'db' }, { from: 'front', to: 'cache' }]);
  });

  it('a redrawn graph keeps the nodes, places and selection of members it still has', () => {
    const before = stackToGraph(parsed(SHOP));
    before.nodes[1] = { ...(before.nodes[1] as StackGraph['nodes'][number]), position: { x: 7, y: 9 }, selected: true };
    const after = stackToGraph(parsed(SHOP.replace('name: cache', 'name: queue').replace('to: cache', 'to: queue')), { previous: before });
    expect(after.nodes.map((n) => n.id)).toEqual(['m1', 'm2', 'm4']);
    expect(after.nodes[1]?.position).toEqual({ x: 7, y: 9 });
    expect(after.nodes[1]?.selected).toBe(true);
    // A member new to the canvas goes where this browser remembered it, else onto the grid.
    const remembered = stackToGraph(parsed(SHOP), { positions: { db: { x: 300, y: 400 } } });
    expect(remembered.nodes[1]?.position).toEqual({ x: 300, y: 400 });
    expect(remembered.nodes[0]?.position).toEqual({ x: 40, y: 40 });
    // What the browser keeps is by member name, and brings the same places back.
    expect(positionsOf(after)).toEqual({ web: { x: 40, y: 40 }, db: { x: 7, y: 9 }, queue: { x: 600, y: 40 } });
    expect(stackToGraph(parsed(SHOP), { positions: positionsOf(before) }).nodes.map((n) => n.position)).toEqual(before.nodes.map((n) => n.position));
  });

  it('puts schema problems on the node and field they concern', () => {
    let g = stackToGraph(parsed(SHOP));
    g = updateMember(g, 'm2', { name: 'web', size: '' });
    const r = parseStack(graphToYaml(g));
    expect(r.errors).toBeDefined();
    const placed = issuesOnGraph(g, r.errors ?? []);
    expect(placed.nodes.get('m2')?.get('name')?.[0]).toMatch(/more than once/);
    expect(placed.nodes.get('m2')?.get('size')?.length).toBeGreaterThan(0);
    expect(placed.nodes.has('m1')).toBe(false);
    const noName = issuesOnGraph({ ...g, name: '' }, parseStack(graphToYaml({ ...g, name: '' })).errors ?? []);
    expect(noName.stack.get('name')?.length).toBeGreaterThan(0);
  });
});

describe('the designer state', () => {
  const start = (): DesignerState => designerReducer(initialState(emptyGraph('new', 8)), { type: 'load', yaml: SHOP });

  it('loads a document onto the canvas and shows it unchanged', () => {
    const s = start();
    expect(s.yaml).toBe(SHOP);
    expect(s.issues).toEqual([]);
    expect(validYaml(s)).toBe(SHOP);
    expect(names(s.graph)).toEqual(['web', 'db', 'cache']);
  });

  it('an edit on the canvas rewrites the YAML', () => {
    const s = designerReducer(start(), { type: 'update', id: 'm2', patch: { count: 3 } });
    expect(s.yaml).toBe(SHOP.replace('    - name: db\n      product: small\n      size: s\n', '    - name: db\n      product: small\n      size: s\n      count: 3\n'));
  });

  it('YAML that parses redraws the canvas; its canonical form is shown once it is settled', () => {
    const typed = SHOP.replace('metadata:\n  name: shop', 'metadata: { name: shop }').replace('count: 2', 'count: 4');
    const s = designerReducer(start(), { type: 'yaml-typed', yaml: typed });
    expect(s.yaml).toBe(typed);
    expect(s.graph.nodes[0]?.data.member.count).toBe(4);
    expect(validYaml(s)).toBe(SHOP.replace('count: 2', 'count: 4'));
    expect(designerReducer(s, { type: 'yaml-settled' }).yaml).toBe(SHOP.replace('count: 2', 'count: 4'));
  });

  it('invalid YAML keeps the last good canvas and says what is wrong, with its line', () => {
    const good = start();
    const broken = designerReducer(good, { type: 'yaml-typed', yaml: SHOP.replace('      size: s\n    - name: cache', '      size: [s\n    - name: cache') });
    expect(broken.yamlBroken).toBe(true);
    expect(broken.graph).toBe(good.graph);
    expect(broken.issues[0]?.code).toBe('yaml-syntax');
    expect(broken.issues[0]?.line).toBeGreaterThan(1);
    expect(validYaml(broken)).toBeUndefined();
    const wrong = designerReducer(good, { type: 'yaml-typed', yaml: SHOP.replace('to: db', 'to: nobody') });
    expect(wrong.graph).toBe(good.graph);
    expect(wrong.issues.map((i) => [i.code, i.line])).toEqual([['unknown-member', 24]]);
    // Settling a broken text leaves it for the person to fix.
    expect(designerReducer(wrong, { type: 'yaml-settled' }).yaml).toBe(wrong.yaml);
  });

  it('moving or selecting a node leaves the YAML alone; removing one through the canvas drops its links', () => {
    const broken = designerReducer(start(), { type: 'yaml-typed', yaml: 'not: [valid' });
    const moved = designerReducer(broken, { type: 'node-changes', changes: [{ type: 'position', id: 'm1', position: { x: 1, y: 2 } }, { type: 'select', id: 'm1', selected: true }] });
    expect(moved.yaml).toBe('not: [valid');
    expect(moved.graph.nodes[0]?.position).toEqual({ x: 1, y: 2 });
    const removed = designerReducer(start(), { type: 'node-changes', changes: [{ type: 'remove', id: 'm1' }] });
    expect(parsed(removed.yaml).spec.links).toEqual([]);
    expect(names(removed.graph)).toEqual(['db', 'cache']);
    const unlinked = designerReducer(start(), { type: 'edge-changes', changes: [{ type: 'remove', id: 'link-m1-m3' }] });
    expect(parsed(unlinked.yaml).spec.links).toEqual([{ from: 'web', to: 'db' }]);
  });

  it('a new stack starts with no members and says it needs one', () => {
    const s = initialState(emptyGraph('new', 8));
    expect(s.issues.map((i) => i.path)).toEqual(['spec.appliances']);
    expect(issuesOnGraph(s.graph, s.issues).stack.get('appliances')).toHaveLength(1);
    const one = designerReducer(s, { type: 'add', member: { name: 'a', product: 'small', size: 's' } });
    expect(one.issues).toEqual([]);
  });
});
