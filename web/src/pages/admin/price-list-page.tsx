import { Alert, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatCcu, priceListSchema, priceOf } from '../../../../src/domain/pricing.ts';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { PriceList } from './cloud/cloud-types.ts';
import { UserLink, when } from './cloud/object-names.tsx';

type Path = string;
const RATES: { path: Path; label: string }[] = [
  { path: 'ccuPerHour.cpu', label: 'per CPU core' },
  { path: 'ccuPerHour.memoryGiB', label: 'per GiB of memory' },
  { path: 'ccuPerHour.diskGiB', label: 'per GiB of disk' },
  { path: 'ccuPerHour.network', label: 'per appliance (network)' },
  { path: 'ccuPerHour.ha', label: 'per appliance with HA' },
  { path: 'ccuPerHour.virtualization.container', label: 'per container' },
  { path: 'ccuPerHour.virtualization.qemu', label: 'per QEMU VM' },
  { path: 'ccuPerHour.virtualization.physical', label: 'per physical server' },
  { path: 'ccuPerHour.virtualization.sim', label: 'per simulated appliance' },
];

const get = (o: unknown, path: Path): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
function set<T>(o: T, path: Path, value: unknown): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const cur = o as Record<string, unknown>;
  return { ...cur, [head]: rest.length === 0 ? value : set(cur[head], rest.join('.'), value) } as T;
}

/**
 * The CCU price list: what an hour of each resource costs. A change applies to requests approved
 * from then on; running meters keep the price they started with.
 */
export default function PriceListPage() {
  // Which version this admin saved last: the form starts afresh for every version, the note stays.
  const [saved, setSaved] = useState<number | null>(null);
  const stored = useQuery({
    queryKey: ['ccu', 'price-list'],
    queryFn: async () => unwrap(await api.GET('/api/v1/ccu/price-list')),
  });
  if (stored.error) return <Alert color="red" role="alert">{errorText(stored.error)}</Alert>;
  const s = stored.data;
  return (
    <Stack>
      <Title order={1} size="h2">Price list</Title>
      {!s ? <Text>Loading…</Text> : (
        <>
          <Text size="sm" c="dimmed" data-testid="price-list-version">
            Version {s.version}{s.version === 0 ? ' (the built-in default)' : ''}{s.updatedAt ? `, set ${when(s.updatedAt)}` : ''}
            {s.updatedBy && <> by <UserLink id={s.updatedBy} /></>}
          </Text>
          {saved === s.version && <Text size="sm" role="status">Saved as version {saved}.</Text>}
          <PriceListForm key={s.version} current={s.priceList} onSaved={setSaved} />
        </>
      )}
    </Stack>
  );
}

/** What a typical appliance costs under `p` (null when the prices are beyond what is charged). */
function examplePrice(p: PriceList): string | null {
  try {
    return formatCcu(priceOf(p, { cpu: 1, memoryMiB: 1024, diskMiB: 10_240, ha: false, virtualization: 'container' }, 1).ccuPerHourMilli);
  } catch {
    return null;
  }
}

function PriceListForm({ current, onSaved }: { current: PriceList; onSaved: (version: number) => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PriceList>(current);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: async (body: PriceList) => unwrap(await api.PUT('/api/v1/ccu/price-list', { body })),
    onSuccess: (written) => {
      onSaved(written.version);
      queryClient.setQueryData(['ccu', 'price-list'], written);
      return queryClient.invalidateQueries({ queryKey: ['ccu'] });
    },
  });
  const parsed = priceListSchema.safeParse(draft);
  const example = parsed.success ? examplePrice(parsed.data) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };
  const numberField = (path: Path, label: string, opts: { decimals?: number; min?: number; suffix?: string } = {}) => (
    <NumberInput
      key={path}
      label={label}
      value={get(draft, path) as number}
      onChange={(v) => setDraft(set(draft, path, v === '' ? '' : Number(v)))}
      min={opts.min ?? 0}
      decimalScale={opts.decimals ?? 3}
      allowNegative={false}
      suffix={opts.suffix}
      error={errors[path]}
    />
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Price list">
      <Stack>
        {save.error && <Alert color="red" role="alert">{errorText(save.error)}</Alert>}
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">CCU per hour</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>{RATES.map((r) => numberField(r.path, r.label))}</SimpleGrid>
          <Text size="sm" mt="sm" data-testid="price-example">
            {example !== null ? `A container with 1 CPU, 1 GiB memory and 10 GiB disk costs ${example} CCU per hour.` : 'Correct the marked fields to see an example.'}
          </Text>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">Currency and credit</Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <TextInput label="Currency (ISO 4217)" maxLength={3} value={draft.currency.code} onChange={(e) => setDraft(set(draft, 'currency.code', e.currentTarget.value.toUpperCase()))} error={errors['currency.code']} />
            {numberField('currency.ccuPerUnit', 'CCU per currency unit')}
            {numberField('lowBalanceCcu', 'Warn users below (CCU)')}
            {numberField('postingPeriodSeconds', 'Posting period (seconds)', { decimals: 0, min: 60 })}
          </SimpleGrid>
        </Card>
        <Group><Button type="submit" loading={save.isPending}>Save price list</Button></Group>
      </Stack>
    </form>
  );
}
