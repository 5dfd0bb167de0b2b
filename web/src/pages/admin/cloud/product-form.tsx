import { ActionIcon, Alert, Button, Checkbox, Fieldset, Group, MultiSelect, NumberInput, Select, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { virtualizationSchema } from '../../../../../src/domain/meta.ts';
import { nameSchema } from '../../../../../src/domain/names.ts';
import { sizeSchema } from '../../../../../src/domain/product.ts';
import { errorText } from '../../../api/client.ts';
import { VIRTUALIZATIONS, type Product, type ProductBody, type Size, type Virtualization } from './cloud-types.ts';

/** Size rows as typed: a number input may be empty while someone edits it. */
interface SizeDraft {
  key: number;
  name: string;
  cpu: number | '';
  memoryMiB: number | '';
  diskMiB: number | '';
}

type Option = { value: string; label: string };

/**
 * The server's own rules (src/domain), checked before sending so every mistake is shown at its
 * field at once; the server checks them again, and also that the image and kernel exist.
 */
const formSchema = z
  .object({
    name: nameSchema,
    imageId: z.string().refine((v) => v !== '', 'Pick an image'),
    sizes: z.array(sizeSchema).min(1, 'Offer at least one size').max(32, 'At most 32 sizes'),
    virtualizations: z.array(virtualizationSchema).min(1, 'Offer at least one virtualization'),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.sizes.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['sizes', i, 'name'], message: 'Size names must be unique' });
      seen.add(s.name);
    });
  });

/** zod's issue in words for the field it is shown under. */
function fieldMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return 'Required';
  if (issue.code === 'too_small' && issue.origin === 'number') return `At least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `At most ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'Required';
  return issue.message;
}

const blankSize = (key: number): SizeDraft => ({ key, name: '', cpu: 1, memoryMiB: 256, diskMiB: 1024 });

export interface ProductFormProps {
  /** The product to change; none: a new one. Its name cannot change. */
  product?: Product;
  images: Option[];
  kernels: Option[];
  /** The configuration groups it may carry (names); without it the form leaves them as they are. */
  configGroups?: string[];
  /** Sends the product (POST for a new one, PATCH without the name for a change). */
  onSubmit: (body: ProductBody) => Promise<unknown>;
  submitLabel?: string;
}

/** What a cloud user may order: an image (and kernel), the sizes on offer and how they may run. */
export function ProductForm({ product, images, kernels, configGroups, onSubmit, submitLabel = product ? 'Save product' : 'Create product' }: ProductFormProps) {
  const spec = product?.spec;
  const [name, setName] = useState(product?.name ?? '');
  const [description, setDescription] = useState(spec?.description ?? '');
  const [imageId, setImageId] = useState<string | null>(spec?.imageId ?? null);
  const [kernelId, setKernelId] = useState<string | null>(spec?.kernelId ?? null);
  const [sizes, setSizes] = useState<SizeDraft[]>(() => (spec ? spec.sizes.map((s, i): SizeDraft => ({ key: i, ...s })) : [blankSize(0)]));
  const [nextKey, setNextKey] = useState(() => (spec?.sizes.length ?? 1) + 1);
  const [virtualizations, setVirtualizations] = useState<Virtualization[]>(spec?.virtualizations ?? ['container']);
  const [haAllowed, setHa] = useState(spec?.haAllowed ?? false);
  const [enabled, setEnabled] = useState(spec?.enabled ?? true);
  const [groups, setGroups] = useState<string[]>(spec?.configGroups ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const send = useMutation({ mutationFn: (body: ProductBody) => onSubmit(body) });

  const setSize = (key: number, patch: Partial<SizeDraft>) => setSizes((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const addSize = () => {
    setSizes((all) => [...all, blankSize(nextKey)]);
    setNextKey((k) => k + 1);
  };
  const num = (v: number | string): number | '' => (v === '' ? '' : Number(v));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const asSizes = sizes.map(({ name: n, cpu, memoryMiB, diskMiB }) => ({ name: n.trim(), cpu, memoryMiB, diskMiB }));
    const parsed = formSchema.safeParse({ name: name.trim(), imageId: imageId ?? '', sizes: asSizes, virtualizations });
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const at = issue.path.join('.');
        found[at] ??= fieldMessage(issue);
      }
      setErrors(found);
      return;
    }
    setErrors({});
    const body: ProductBody = {
      name: parsed.data.name,
      description,
      imageId: parsed.data.imageId,
      kernelId,
      sizes: parsed.data.sizes as Size[],
      virtualizations: parsed.data.virtualizations,
      haAllowed,
      enabled,
      ...(configGroups ? { configGroups: groups } : {}),
    };
    send.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate aria-label={product ? `Change product ${product.name}` : 'New product'}>
      <Stack>
        {send.error && <Alert color="red" role="alert">{errorText(send.error)}</Alert>}
        {Object.keys(errors).length > 0 && <Alert color="red" role="alert">Some fields need a change before the product can be saved.</Alert>}
        <TextInput label="Name" required disabled={!!product} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus />
        <Textarea label="Description" rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <Group grow align="start">
          <Select label="Image" required data={images} value={imageId} onChange={setImageId} placeholder="Pick an image" searchable error={errors.imageId} />
          <Select label="Kernel" description="Only for VMs that boot a kernel" data={kernels} value={kernelId} onChange={setKernelId} placeholder="none" clearable searchable />
        </Group>
        <Fieldset legend="Sizes">
          <Stack gap="xs">
            {sizes.map((s, i) => (
              <Group key={s.key} align="start" gap="xs" wrap="wrap" data-testid="size-row">
                <TextInput label={`Size ${i + 1} name`} w={120} value={s.name} onChange={(e) => setSize(s.key, { name: e.currentTarget.value })} error={errors[`sizes.${i}.name`]} />
                <NumberInput label="CPUs" w={90} min={1} max={256} allowDecimal={false} clampBehavior="none" value={s.cpu} onChange={(v) => setSize(s.key, { cpu: num(v) })} error={errors[`sizes.${i}.cpu`]} />
                <NumberInput label="Memory (MiB)" w={130} min={16} step={64} allowDecimal={false} clampBehavior="none" value={s.memoryMiB} onChange={(v) => setSize(s.key, { memoryMiB: num(v) })} error={errors[`sizes.${i}.memoryMiB`]} />
                <NumberInput label="Disk (MiB)" w={130} min={0} step={1024} allowDecimal={false} clampBehavior="none" value={s.diskMiB} onChange={(v) => setSize(s.key, { diskMiB: num(v) })} error={errors[`sizes.${i}.diskMiB`]} />
                <ActionIcon variant="subtle" color="red" mt={26} size="lg" aria-label={`Remove size ${i + 1}`} onClick={() => setSizes((all) => all.filter((x) => x.key !== s.key))}>
                  <span aria-hidden="true">✕</span>
                </ActionIcon>
              </Group>
            ))}
            {errors.sizes && <Text size="sm" c="red.9" role="alert">{errors.sizes}</Text>}
            <Group><Button variant="default" size="xs" onClick={addSize} disabled={sizes.length >= 32}>Add size</Button></Group>
          </Stack>
        </Fieldset>
        <Checkbox.Group label="Virtualizations" description="How the product may run" value={virtualizations} onChange={(v) => setVirtualizations(v as Virtualization[])} error={errors.virtualizations}>
          <Group mt="xs">
            {VIRTUALIZATIONS.map((v) => <Checkbox key={v} value={v} label={v} />)}
          </Group>
        </Checkbox.Group>
        {configGroups && (
          <MultiSelect
            label="Configuration groups"
            description="Applied to each of its appliances after it boots, in this order, before the request is active"
            data={[...new Set([...configGroups, ...groups])]}
            value={groups}
            onChange={setGroups}
            searchable
            clearable
          />
        )}
        <Group>
          <Switch label="HA may be asked for" checked={haAllowed} onChange={(e) => setHa(e.currentTarget.checked)} />
          <Switch label="Enabled (users can order it)" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        </Group>
        <Group><Button type="submit" loading={send.isPending}>{submitLabel}</Button></Group>
      </Stack>
    </form>
  );
}
