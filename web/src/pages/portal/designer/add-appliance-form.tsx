import { Button, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { STACK_LIMITS } from '../../../../../src/domain/stack.ts';
import { sizeLabel, type Catalog } from './catalog.ts';
import type { MemberDraft } from './stack-graph.ts';

/**
 * The keyboard's way to put an appliance on the board (what dropping a product does): pick a
 * product and a size, name it, say how many. `suggestName` gives a name no member has yet.
 */
export function AddApplianceForm({ catalog, suggestName, onAdd }: { catalog: Catalog; suggestName: (product: string) => string; onAdd: (m: MemberDraft) => void }) {
  const first = catalog.products[0];
  const [product, setProduct] = useState<string | null>(first?.name ?? null);
  const [size, setSize] = useState<string | null>(first?.spec.sizes[0]?.name ?? null);
  const [name, setName] = useState(first ? suggestName(first.name) : '');
  const [count, setCount] = useState<number | ''>(1);
  const sizes = (product ? catalog.byName.get(product)?.spec.sizes ?? [] : []).map((s) => ({ value: s.name, label: sizeLabel(s) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!product || !size) return;
    onAdd({ name, product, size, ...(count !== '' && count !== 1 ? { count } : {}) });
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        <Select
          label="Product"
          required
          data={catalog.products.map((p) => p.name)}
          value={product}
          data-autofocus
          onChange={(v) => {
            setProduct(v);
            const p = v ? catalog.byName.get(v) : undefined;
            setSize(p?.spec.sizes[0]?.name ?? null);
            if (v) setName(suggestName(v));
          }}
        />
        <Select label="Size" required data={sizes} value={size} onChange={setSize} />
        <TextInput label="Appliance name" required value={name} onChange={(e) => setName(e.currentTarget.value)} description="Letters, digits, '.', '_' or '-'" />
        <NumberInput label="Count" min={1} max={STACK_LIMITS.maxCount} allowDecimal={false} value={count} onChange={(v) => setCount(v === '' ? '' : Number(v))} />
        <Button type="submit" disabled={!product || !size || name === ''}>Add to the board</Button>
      </Stack>
    </form>
  );
}
