import { ActionIcon, Alert, Button, Group, NumberInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type Dispatch } from 'react';
import { sizeLabel, type Catalog } from './catalog.ts';
import type { DesignerAction } from './designer-state.ts';
import type { GraphIssues, MemberDraft, MemberNode, StackGraph } from './stack-graph.ts';
import { STACK_LIMITS } from '../../../../../src/domain/stack.ts';

/** Not a name (names start with a letter or digit), so it never stands for a real choice. */
const UNSET = '-unset';

const fieldError = (byField: Map<string, string[]> | undefined, field: string) => byField?.get(field)?.join('; ');

/**
 * The selected appliance's fields, each a labelled input, and its links: what dragging does on
 * the board, done with a keyboard. An optional field left "not set" stays out of the document.
 */
export function MemberPanel({ graph, node, catalog, issues, dispatch }: { graph: StackGraph; node: MemberNode; catalog: Catalog; issues: GraphIssues; dispatch: Dispatch<DesignerAction> }) {
  const m = node.data.member;
  const update = (patch: Partial<MemberDraft>) => dispatch({ type: 'update', id: node.id, patch });
  const product = catalog.byName.get(m.product);
  const byField = issues.nodes.get(node.id);
  const productOptions = catalog.products.map((p) => p.name);
  if (m.product !== '' && !productOptions.includes(m.product)) productOptions.push(m.product);
  const sizes = (product?.spec.sizes ?? []).map((s) => ({ value: s.name, label: sizeLabel(s) }));
  if (m.size !== '' && !sizes.some((s) => s.value === m.size)) sizes.push({ value: m.size, label: `${m.size} (not offered)` });
  const virtualizations = [
    { value: UNSET, label: `Product default${product?.spec.virtualizations[0] ? ` (${product.spec.virtualizations[0]})` : ''}` },
    ...(product?.spec.virtualizations ?? []).map((v) => ({ value: v, label: v })),
  ];
  if (m.virtualization !== undefined && !virtualizations.some((v) => v.value === m.virtualization)) virtualizations.push({ value: m.virtualization, label: `${m.virtualization} (not offered)` });
  const networks = [{ value: UNSET, label: 'Default (not set)' }, ...catalog.networks.map((n) => ({ value: n, label: n }))];
  if (m.network !== undefined && !networks.some((n) => n.value === m.network)) networks.push({ value: m.network, label: m.network });

  const nameOf = new Map(graph.nodes.map((n) => [n.id, n.data.member.name]));
  const links = graph.edges.filter((e) => e.source === node.id || e.target === node.id);
  const others = graph.nodes.filter((n) => n.id !== node.id && !graph.edges.some((e) => e.source === node.id && e.target === n.id));
  const [linkTo, setLinkTo] = useState<string | null>(null);

  return (
    <Stack gap="sm" component="section" aria-labelledby="member-panel-title" data-testid="member-panel">
      <Title order={2} size="h5" id="member-panel-title">Appliance {m.name}</Title>
      {byField?.get('') && <Alert color="red" role="alert">{byField.get('')?.join('; ')}</Alert>}
      <TextInput label="Appliance name" value={m.name} onChange={(e) => update({ name: e.currentTarget.value })} error={fieldError(byField, 'name')} />
      <Group grow align="flex-start">
        <Select
          label="Product"
          data={productOptions}
          value={m.product === '' ? null : m.product}
          allowDeselect={false}
          error={fieldError(byField, 'product')}
          onChange={(v) => {
            if (v === null) return;
            const next = catalog.byName.get(v);
            const keepSize = next?.spec.sizes.some((s) => s.name === m.size) ?? false;
            update({ product: v, ...(keepSize ? {} : { size: next?.spec.sizes[0]?.name ?? m.size }) });
          }}
        />
        <Select label="Size" data={sizes} value={m.size === '' ? null : m.size} allowDeselect={false} error={fieldError(byField, 'size')} onChange={(v) => v !== null && update({ size: v })} />
      </Group>
      <Group grow align="flex-start">
        <Select
          label="Virtualization"
          data={virtualizations}
          value={m.virtualization ?? UNSET}
          allowDeselect={false}
          error={fieldError(byField, 'virtualization')}
          onChange={(v) => update({ virtualization: v === null || v === UNSET ? undefined : (v as NonNullable<typeof m.virtualization>) })}
        />
        <Select
          label="Network"
          data={networks}
          value={m.network ?? UNSET}
          allowDeselect={false}
          error={fieldError(byField, 'network')}
          onChange={(v) => update({ network: v === null || v === UNSET ? undefined : v })}
        />
      </Group>
      <Group grow align="flex-start">
        <NumberInput
          label="Count"
          description="Instances of this appliance"
          min={1}
          max={STACK_LIMITS.maxCount}
          placeholder="1"
          value={m.count ?? ''}
          allowDecimal={false}
          error={fieldError(byField, 'count')}
          onChange={(v) => update({ count: v === '' ? undefined : Number(v) })}
        />
        <Switch
          label="High availability (HA)"
          description={product && !product.spec.haAllowed ? 'This product does not offer HA to cloud users' : 'Restarted elsewhere when its host fails'}
          checked={m.ha === true}
          error={fieldError(byField, 'ha')}
          onChange={(e) => update({ ha: e.currentTarget.checked ? true : m.ha === false ? false : undefined })}
          mt="xs"
        />
      </Group>
      <Title order={3} size="h6">Links</Title>
      {links.length === 0 && <Text size="sm" c="dimmed">No links. Drag from the right edge of one appliance to the left edge of another, or add one here.</Text>}
      <ul className="designer-links" aria-label={`Links of ${m.name}`}>
        {links.map((e) => {
          const text = `${nameOf.get(e.source) ?? '?'} → ${nameOf.get(e.target) ?? '?'}`;
          return (
            <li key={e.id}>
              <Group gap="xs">
                <Text size="sm">{text}</Text>
                {issues.edges.get(e.id) && <Text size="xs" c="red">{issues.edges.get(e.id)?.join('; ')}</Text>}
                <ActionIcon variant="subtle" color="red" size="sm" aria-label={`Remove link ${text}`} onClick={() => dispatch({ type: 'remove-edges', ids: [e.id] })}>×</ActionIcon>
              </Group>
            </li>
          );
        })}
      </ul>
      <Group align="flex-end">
        <Select label="Link to" data={others.map((n) => ({ value: n.id, label: n.data.member.name || '(no name)' }))} value={linkTo} onChange={setLinkTo} placeholder="Pick an appliance" style={{ flex: 1 }} />
        <Button variant="default" disabled={linkTo === null} onClick={() => {
          if (linkTo === null) return;
          dispatch({ type: 'connect', source: node.id, target: linkTo });
          setLinkTo(null);
        }}>Add link</Button>
      </Group>
      <Group justify="flex-end">
        <Button color="red" variant="light" onClick={() => dispatch({ type: 'remove-nodes', ids: [node.id] })}>Remove appliance</Button>
      </Group>
    </Stack>
  );
}
