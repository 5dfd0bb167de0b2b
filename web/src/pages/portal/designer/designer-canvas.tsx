import { useComputedColorScheme } from '@mantine/core';
import { Background, Controls, ReactFlow, useReactFlow, type Connection } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo, type Dispatch, type DragEvent } from 'react';
import type { Catalog } from './catalog.ts';
import type { DesignerAction } from './designer-state.ts';
import { nodeTypes } from './member-node.tsx';
import { PALETTE_MIME, readPaletteItem } from './palette.tsx';
import { freeMemberName, type StackGraph } from './stack-graph.ts';

/**
 * The board: React Flow with the designer's graph, controlled (every change goes through the
 * designer's reducer, so the YAML follows). Palette items are dropped here by HTML5 drag and
 * drop, React Flow's own pattern: the drop's screen point becomes a flow position. A product
 * makes an appliance there; a size or a network dropped onto an appliance sets it.
 */
/** About half of a new appliance's box on the board (designer.css). */
const NODE_HALF = { width: 95, height: 30 };

export function DesignerCanvas({
  graph,
  catalog,
  dispatch,
  onNotice,
}: {
  graph: StackGraph;
  catalog: Catalog;
  dispatch: Dispatch<DesignerAction>;
  onNotice: (text: string) => void;
}) {
  const flow = useReactFlow();
  const colorMode = useComputedColorScheme('light');
  const nodes = useMemo(
    () => graph.nodes.map((n) => ({ ...n, ariaLabel: `Appliance ${n.data.member.name || '(no name)'}: ${n.data.member.product}, size ${n.data.member.size}` })),
    [graph.nodes],
  );
  const edges = useMemo(() => {
    const name = new Map(graph.nodes.map((n) => [n.id, n.data.member.name]));
    return graph.edges.map((e) => ({ ...e, ariaLabel: `Link from ${name.get(e.source) ?? '?'} to ${name.get(e.target) ?? '?'}` }));
  }, [graph.nodes, graph.edges]);

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  const onDrop = (e: DragEvent) => {
    const item = readPaletteItem(e);
    if (!item) return;
    e.preventDefault();
    const target = (e.target as Element).closest?.('.react-flow__node')?.getAttribute('data-id') ?? undefined;
    const onto = target === undefined ? undefined : graph.nodes.find((n) => n.id === target);
    if (item.kind === 'product') {
      const product = catalog.byName.get(item.product);
      const size = product?.spec.sizes[0]?.name ?? '';
      // The new appliance is centred where it was dropped.
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const position = { x: at.x - NODE_HALF.width, y: at.y - NODE_HALF.height };
      const name = freeMemberName(graph, item.product);
      dispatch({ type: 'add', member: { name, product: item.product, size }, position });
      onNotice(`Added appliance ${name}.`);
      return;
    }
    if (!onto) {
      onNotice(`Drop the ${item.kind} onto an appliance to set it.`);
      return;
    }
    const m = onto.data.member;
    if (item.kind === 'size') {
      const offered = catalog.byName.get(m.product)?.spec.sizes.some((s) => s.name === item.size) ?? false;
      if (!offered) {
        onNotice(`Product ${m.product} has no size ${item.size}; ${m.name} keeps size ${m.size}.`);
        return;
      }
      dispatch({ type: 'update', id: onto.id, patch: { size: item.size } });
      onNotice(`${m.name} now has size ${item.size}.`);
    } else {
      dispatch({ type: 'update', id: onto.id, patch: { network: item.network } });
      onNotice(`${m.name} now joins network ${item.network}.`);
    }
  };

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      colorMode={colorMode}
      onNodesChange={(changes) => dispatch({ type: 'node-changes', changes })}
      onEdgesChange={(changes) => dispatch({ type: 'edge-changes', changes })}
      onConnect={(c: Connection) => dispatch({ type: 'connect', source: c.source, target: c.target })}
      onDragOver={onDragOver}
      onDrop={onDrop}
      deleteKeyCode={['Backspace', 'Delete']}
      minZoom={0.3}
      maxZoom={1.5}
      defaultViewport={{ x: 0, y: 0, zoom: 0.9 }}
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
