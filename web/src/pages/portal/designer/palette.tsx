import { Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { DragEvent, ReactNode } from 'react';
import { sizeLabel, type Catalog } from './catalog.ts';

/** What a palette item carries while it is dragged onto the board. */
export type PaletteItem =
  | { kind: 'product'; product: string }
  | { kind: 'size'; product: string; size: string }
  | { kind: 'network'; network: string };

/** The drag's data type: only the designer's own items are dropped (files and text are not). */
export const PALETTE_MIME = 'application/x-fleetyard-palette';

export function readPaletteItem(e: DragEvent): PaletteItem | undefined {
  const raw = e.dataTransfer.getData(PALETTE_MIME);
  if (raw === '') return undefined;
  try {
    const item = JSON.parse(raw) as PaletteItem;
    return item.kind === 'product' || item.kind === 'size' || item.kind === 'network' ? item : undefined;
  } catch {
    return undefined;
  }
}

function Draggable({ item, children }: { item: PaletteItem; children: ReactNode }) {
  return (
    <li
      className="designer-palette-item"
      draggable
      data-testid={`palette-${item.kind}-${item.kind === 'network' ? item.network : item.kind === 'size' ? `${item.product}-${item.size}` : item.product}`}
      onDragStart={(e) => {
        e.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item));
        e.dataTransfer.effectAllowed = 'copy';
      }}
    >
      {children}
    </li>
  );
}

/**
 * What a stack is built from, to drag onto the board: a product makes an appliance where it is
 * dropped; a size or a network dropped onto an appliance sets it. (Without a mouse: "Add
 * appliance" and the appliance's panel do the same.)
 */
export function Palette({ catalog }: { catalog: Catalog }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="palette-title">
      <Title order={2} size="h5" id="palette-title">Palette</Title>
      <Text size="xs" c="dimmed">Drag a product onto the board; drop a size or a network onto an appliance.</Text>
      {catalog.loading && <Loader size="sm" role="status" aria-label="Loading the catalog" />}
      {!catalog.loading && catalog.products.length === 0 && <Text size="sm">No products are on offer.</Text>}
      <ul className="designer-palette-list" aria-label="Products">
        {catalog.products.map((p) => {
          const image = catalog.imageNames.get(p.spec.imageId);
          return (
            <Draggable key={p.id} item={{ kind: 'product', product: p.name }}>
              <Text fw={600} size="sm">{p.name}</Text>
              {image !== undefined && <Text size="xs" c="dimmed">image {image}</Text>}
              {p.spec.description !== '' && <Text size="xs" c="dimmed" lineClamp={2}>{p.spec.description}</Text>}
              <Group gap={4} mt={4}>
                {p.spec.virtualizations.map((v) => <Badge key={v} size="xs" variant="outline">{v}</Badge>)}
                {p.spec.haAllowed && <Badge size="xs" variant="outline">HA</Badge>}
              </Group>
            </Draggable>
          );
        })}
      </ul>
      <Title order={3} size="h6">Sizes</Title>
      <ul className="designer-palette-list" aria-label="Sizes">
        {catalog.products.flatMap((p) =>
          p.spec.sizes.map((s) => (
            <Draggable key={`${p.id}-${s.name}`} item={{ kind: 'size', product: p.name, size: s.name }}>
              <Text size="xs"><Text span fw={600} size="xs">{p.name}</Text> {sizeLabel(s)}</Text>
            </Draggable>
          )),
        )}
      </ul>
      <Title order={3} size="h6">Networks</Title>
      <ul className="designer-palette-list" aria-label="Networks">
        {catalog.networks.map((n) => (
          <Draggable key={n} item={{ kind: 'network', network: n }}>
            <Text size="xs">{n}</Text>
          </Draggable>
        ))}
      </ul>
    </Stack>
  );
}
