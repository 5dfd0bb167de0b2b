import { Alert, Button, Group, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../../api/client.ts';
import type { Quota, QuotaLimits } from './cloud-types.ts';

type Key = keyof QuotaLimits;

const FIELDS: { key: Key; label: string; unit: string; decimals: boolean }[] = [
  { key: 'appliances', label: 'Appliances', unit: '', decimals: false },
  { key: 'cpu', label: 'CPUs', unit: '', decimals: false },
  { key: 'memoryMiB', label: 'Memory (MiB)', unit: ' MiB', decimals: false },
  { key: 'diskMiB', label: 'Disk (MiB)', unit: ' MiB', decimals: false },
  { key: 'ccuPerMonth', label: 'CCU per month', unit: ' CCU', decimals: true },
];

type Draft = Record<Key, number | ''>;
const toDraft = (l: QuotaLimits): Draft => Object.fromEntries(FIELDS.map((f) => [f.key, l[f.key] ?? ''])) as Draft;

export type QuotaKind = 'users' | 'groups';

/**
 * A user's or group's quota beside what they hold now (live: a request's events refresh it). An
 * empty limit is unlimited. Saving writes every limit at once, as the API's PUT does.
 */
export function QuotaEditor({ kind, id }: { kind: QuotaKind; id: string }) {
  const queryClient = useQueryClient();
  const quota = useQuery({
    queryKey: ['quotas', kind, id],
    queryFn: async () => unwrap(await api.GET('/api/v1/quotas/{kind}/{id}', { params: { path: { kind, id } } })),
  });
  // Only what the admin changed is kept here; the rest follows the server (live).
  const [edits, setEdits] = useState<Partial<Draft>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: async (d: Draft) => {
      const body = Object.fromEntries(FIELDS.map((f) => [f.key, d[f.key] === '' ? null : d[f.key]])) as QuotaLimits;
      return unwrap(await api.PUT('/api/v1/quotas/{kind}/{id}', { params: { path: { kind, id } }, body }));
    },
    onSuccess: async (written) => {
      queryClient.setQueryData<Quota>(['quotas', kind, id], (old) => old && { ...old, limits: written.limits });
      setEdits({});
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['quotas', kind, id] });
    },
  });
  if (quota.error) return <Alert color="red" role="alert">{errorText(quota.error)}</Alert>;
  const q: Quota | undefined = quota.data;
  if (!q) return <Text size="sm">Loading…</Text>;
  const draft: Draft = { ...toDraft(q.limits), ...edits };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate(draft);
  };
  return (
    <form onSubmit={submit} aria-label={`Quota of the ${kind === 'users' ? 'user' : 'group'}`}>
      <Stack>
        {save.error && <Alert color="red" role="alert">{errorText(save.error)}</Alert>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {FIELDS.map((f) => {
            const used = Math.round(q.used[f.key] * 1000) / 1000;
            const limit = q.limits[f.key];
            return (
              <NumberInput
                key={f.key}
                label={f.label}
                description={<span data-testid={`used-${f.key}`}>Uses {used}{f.unit} now{limit !== null && used > limit ? ' — over the limit' : ''}</span>}
                placeholder="unlimited"
                min={0}
                allowNegative={false}
                allowDecimal={f.decimals}
                decimalScale={f.decimals ? 3 : 0}
                value={draft[f.key]}
                onChange={(v) => {
                  setSaved(false);
                  setEdits({ ...edits, [f.key]: v === '' ? '' : Number(v) });
                }}
              />
            );
          })}
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={save.isPending}>Save quota</Button>
          {saved && <Text size="sm" role="status">Quota saved.</Text>}
        </Group>
      </Stack>
    </form>
  );
}
