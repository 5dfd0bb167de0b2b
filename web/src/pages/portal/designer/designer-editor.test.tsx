import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../../../test/render.tsx';
import { AddApplianceForm } from './add-appliance-form.tsx';
import type { Catalog, Product } from './catalog.ts';
import { designerReducer, initialState } from './designer-state.ts';
import { MemberPanel } from './member-panel.tsx';
import { emptyGraph, freeMemberName, issuesOnGraph } from './stack-graph.ts';
import { YamlPanel } from './yaml-panel.tsx';

const YAML = `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: shop
spec:
  hours: 24
  appliances:
    - name: web
      product: small
      size: s
    - name: db
      product: small
      size: m
  links:
    - from: web
      to: db
`;

const product = (name: string, sizes: string[]): Product => ({
  id: `p-${name}`,
  name,
  version: 1,
  generation: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  spec: {
    description: '',
    imageId: 'i-1',
    kernelId: null,
    sizes: sizes.map((s, i) => ({ name: s, cpu: i + 1, memoryMiB: 64 * (i + 1), diskMiB: 0 })),
    virtualizations: ['container'],
    haAllowed: false,
    enabled: true,
  },
  status: {},
});

const products = [product('small', ['s', 'm']), product('big', ['xl'])];
const catalog: Catalog = { products, imageNames: new Map(), networks: ['default'], byName: new Map(products.map((p) => [p.name, p])), loading: false, error: null };

/** The YAML box and the selected appliance's panel over one designer state, as the page wires them. */
function Editor() {
  const [state, dispatch] = useReducer(designerReducer, undefined, () => designerReducer(initialState(emptyGraph('new', 24)), { type: 'load', yaml: YAML }));
  const selected = state.graph.nodes.find((n) => n.selected) ?? state.graph.nodes[0];
  const issues = issuesOnGraph(state.graph, state.yamlBroken ? [] : state.issues);
  return (
    <>
      <YamlPanel yaml={state.yaml} issues={state.issues} broken={state.yamlBroken} onChange={(yaml) => dispatch({ type: 'yaml-typed', yaml })} onSettle={() => dispatch({ type: 'yaml-settled' })} />
      {selected && <MemberPanel key={selected.id} graph={state.graph} node={selected} catalog={catalog} issues={issues} dispatch={dispatch} />}
    </>
  );
}

const yamlBox = () => screen.getByLabelText(/Stack document/) as HTMLTextAreaElement;
const panel = () => within(screen.getByTestId('member-panel'));

describe('the designer editor', () => {
  it('renaming an appliance in its panel rewrites the YAML, links included', async () => {
    renderInApp(<Editor />);
    const name = panel().getByLabelText('Appliance name');
    await userEvent.clear(name);
    await userEvent.type(name, 'front');
    expect(yamlBox().value).toBe(YAML.replace('- name: web', '- name: front').replace('from: web', 'from: front'));
    expect(screen.getByRole('heading', { name: 'Appliance front' })).toBeTruthy();
  });

  it('an empty name is shown as a problem of the field, with its line in the YAML', async () => {
    renderInApp(<Editor />);
    await userEvent.clear(panel().getByLabelText('Appliance name'));
    const issues = within(screen.getByTestId('yaml-issues'));
    expect(issues.getAllByText(/^Line 8: spec\.appliances\[0\]\.name/).length).toBeGreaterThan(0);
    expect(panel().getByLabelText('Appliance name').getAttribute('aria-invalid')).toBe('true');
  });

  it('YAML typed by hand updates the panel; invalid YAML keeps it and says why', () => {
    renderInApp(<Editor />);
    fireEvent.change(yamlBox(), { target: { value: YAML.replace('      size: s\n', '      size: s\n      count: 3\n') } });
    expect((panel().getByLabelText(/^Count/) as HTMLInputElement).value).toBe('3');
    fireEvent.change(yamlBox(), { target: { value: YAML.replace('  name: shop', '  name: [shop') } });
    expect((panel().getByLabelText(/^Count/) as HTMLInputElement).value).toBe('3');
    expect(screen.getByText(/not a valid stack: the board shows the last valid version/)).toBeTruthy();
    expect(within(screen.getByTestId('yaml-issues')).getAllByText(/^Line \d+: /).length).toBeGreaterThan(0);
  });

  it('a YAML text that parses is shown in its canonical form once the box is left', () => {
    renderInApp(<Editor />);
    fireEvent.change(yamlBox(), { target: { value: YAML.replace('metadata:\n  name: shop', 'metadata: {name: shop}') } });
    fireEvent.blur(yamlBox());
    expect(yamlBox().value).toBe(YAML);
  });

  it('removes a link and an appliance from the panel', async () => {
    renderInApp(<Editor />);
    await userEvent.click(panel().getByRole('button', { name: 'Remove link web → db' }));
    expect(yamlBox().value).toBe(YAML.replace('    - from: web\n      to: db\n', '').replace('  links:\n', '  links: []\n'));
    await userEvent.click(panel().getByRole('button', { name: 'Remove appliance' }));
    expect(yamlBox().value).not.toContain('name: web');
    expect(yamlBox().value).toContain('- name: db');
  });
});

describe('adding an appliance without a mouse', () => {
  it('offers the first product and size and a free name, and adds what the form says', async () => {
    const onAdd = vi.fn();
    const graph = designerReducer(initialState(emptyGraph('new', 24)), { type: 'load', yaml: YAML }).graph;
    renderInApp(<AddApplianceForm catalog={catalog} suggestName={(p) => freeMemberName(graph, p)} onAdd={onAdd} />);
    expect((screen.getByLabelText(/^Appliance name/) as HTMLInputElement).value).toBe('small');
    const count = screen.getByLabelText(/^Count/);
    await userEvent.clear(count);
    await userEvent.type(count, '2');
    await userEvent.click(screen.getByRole('button', { name: 'Add to the board' }));
    expect(onAdd).toHaveBeenCalledWith({ name: 'small', product: 'small', size: 's', count: 2 });
  });
});
