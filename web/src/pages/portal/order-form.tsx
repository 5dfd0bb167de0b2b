import { Alert, Badge, Button, Card, Group, NumberInput, Radio, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorText } from '../../api/client.ts';
import { fromLocalInput, toLocalInput } from './local-time.ts';
import type { OrderBody, Product, Quote, Virtualization } from './portal-types.ts';
import { LIMIT_LABELS, orderAsks, overLimits, QuotaHeadroom } from './quota-headroom.tsx';
import { Whole } from './whole-badge.tsx';

export interface OrderFormProps {
  products: Product[];
  /** POST /cloud/quote: the price and the quota headroom of an order, without submitting it. */
  quote: (body: OrderBody) => Promise<Quote>;
  /** POST /cloud/requests. */
  submit: (body: OrderBody) => Promise<unknown>;
  now?: () => Date;
  /** How long the choices must rest before they are priced (one quote per pause, not per key). */
  debounceMs?: number;
}

const HOUR_MS = 3_600_000;

/**
 * Ordering a product: the choices on the left, and on the right what they cost and what they
 * leave of the quota, priced by the server as the user chooses (debounced). Like Horizon's
 * flavor table, each size says whether it fits what is left, and the order cannot be submitted
 * until the server has priced exactly these choices and said they fit.
 */
export function OrderForm({ products, quote, submit, now = () => new Date(), debounceMs = 300 }: OrderFormProps) {
  const [productId, setProductId] = useState<string | null>(products[0]?.id ?? null);
  const product = products.find((p) => p.id === productId);
  const [sizeName, setSizeName] = useState<string | null>(product?.spec.sizes[0]?.name ?? null);
  const [virtualization, setVirtualization] = useState<Virtualization | null>(product?.spec.virtualizations[0] ?? null);
  const [ha, setHa] = useState(false);
  const [quantity, setQuantity] = useState<number | string>(1);
  const [start, setStart] = useState(() => toLocalInput(now()));
  const [end, setEnd] = useState(() => toLocalInput(new Date(now().getTime() + 2 * HOUR_MS)));

  const pickProduct = (id: string | null) => {
    setProductId(id);
    const p = products.find((x) => x.id === id);
    setSizeName(p?.spec.sizes[0]?.name ?? null);
    setVirtualization(p?.spec.virtualizations[0] ?? null);
    if (!p?.spec.haAllowed) setHa(false);
  };

  const size = product?.spec.sizes.find((s) => s.name === sizeName);
  const startAt = fromLocalInput(start);
  const endAt = fromLocalInput(end);
  const qty = typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 && quantity <= 64 ? quantity : null;
  const problem =
    !product ? 'Pick a product.'
    : !size ? 'Pick a size.'
    : qty === null ? 'The quantity is a whole number from 1 to 64.'
    : !startAt || !endAt ? 'Give the start and the end of the time window.'
    : endAt <= startAt ? 'The end must come after the start.'
    : null;

  // The choices as the API takes them, as a string so the debounce sees a stable value.
  const key = problem || !product || !size || qty === null || !startAt || !endAt
    ? null
    : JSON.stringify({
        productId: product.id,
        size: size.name,
        quantity: qty,
        startAt,
        endAt,
        ...(virtualization ? { virtualization } : {}),
        ...(product.spec.haAllowed ? { ha } : {}),
      } satisfies OrderBody);
  const [settledKey] = useDebouncedValue(key, debounceMs);
  const priced = useQuery({
    // Under 'quotas': a request or quota event changes the headroom, so the quote refreshes live.
    queryKey: ['quotas', 'quote', settledKey],
    queryFn: () => quote(JSON.parse(settledKey as string) as OrderBody),
    enabled: settledKey !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const send = useMutation({ mutationFn: (body: OrderBody) => submit(body) });

  // The quote counts only when it prices exactly what is on the screen now.
  const upToDate = key !== null && settledKey === key && priced.isSuccess && !priced.isPlaceholderData;
  const q = priced.data;
  const fits = upToDate && q?.fits === true;
  const waiting = key !== null && !upToDate && !priced.isError;
  const why = problem ?? (priced.isError && settledKey === key ? 'This order cannot be priced.' : waiting ? 'Pricing your choices…' : !fits ? 'This order does not fit your quota.' : null);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!fits || key === null) return;
    send.mutate(JSON.parse(key) as OrderBody);
  };

  const room = q?.quota.user;

  return (
    <form onSubmit={onSubmit} aria-label="Order">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack>
          <Select
            label="Product"
            data={products.map((p) => ({ value: p.id, label: p.name }))}
            value={productId}
            onChange={pickProduct}
            allowDeselect={false}
            description={product?.spec.description || undefined}
          />
          {product && (
            <Table.ScrollContainer minWidth={300}>
              <Table highlightOnHover verticalSpacing="xs" data-testid="sizes">
                <Table.Caption>Sizes of {product.name}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Size</Table.Th>
                    <Table.Th>CPUs</Table.Th>
                    <Table.Th>Memory</Table.Th>
                    <Table.Th>Disk</Table.Th>
                    <Table.Th>Quota</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {product.spec.sizes.map((s) => {
                    const over = room && qty !== null ? overLimits(room, { ...orderAsks(s, qty, 0), ccuPerMonth: 0 }) : [];
                    return (
                      <Table.Tr key={s.name} onClick={() => setSizeName(s.name)} style={{ cursor: 'pointer' }} data-size={s.name}>
                        <Table.Td>
                          <Radio name="size" value={s.name} label={s.name} checked={s.name === sizeName} onChange={() => setSizeName(s.name)} />
                        </Table.Td>
                        <Table.Td>{s.cpu}</Table.Td>
                        <Table.Td>{s.memoryMiB} MiB</Table.Td>
                        <Table.Td>{s.diskMiB} MiB</Table.Td>
                        <Table.Td>
                          {!room ? <Text span size="sm" c="dimmed">…</Text>
                            : over.length > 0 ? <Whole><Badge color="red" variant="light">over: {over.map((k) => LIMIT_LABELS[k]).join(', ')}</Badge></Whole>
                            : <Whole><Badge color="green" variant="light">fits</Badge></Whole>}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {product && (
            <Radio.Group label="Virtualization" value={virtualization} onChange={(v) => setVirtualization(v as Virtualization)}>
              <Group mt={4}>
                {product.spec.virtualizations.map((v) => <Radio key={v} value={v} label={v} />)}
              </Group>
            </Radio.Group>
          )}
          {product?.spec.haAllowed && (
            <Switch label="High availability (restarted on another host if its host fails)" checked={ha} onChange={(e) => setHa(e.currentTarget.checked)} />
          )}
          <NumberInput label="Quantity" min={1} max={64} allowDecimal={false} value={quantity} onChange={setQuantity} />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput type="datetime-local" label="Start" value={start} onChange={(e) => setStart(e.currentTarget.value)} required />
            <TextInput type="datetime-local" label="End" value={end} onChange={(e) => setEnd(e.currentTarget.value)} required />
          </SimpleGrid>
        </Stack>

        <Card withBorder aria-labelledby="quote-title">
          <Stack gap="sm" aria-live="polite" aria-busy={waiting}>
            <Title order={2} size="h4" id="quote-title">Price and quota</Title>
            {priced.isError && settledKey === key && <Alert color="red" role="alert" title="Cannot price this order">{errorText(priced.error)}</Alert>}
            {q ? (
              <>
                <Group gap="xl" style={{ opacity: upToDate ? 1 : 0.6 }}>
                  <div>
                    <Text size="xs" c="dimmed">Per hour</Text>
                    <Text fw={700} size="xl" data-testid="price-per-hour">{q.ccuPerHour} CCU/h</Text>
                  </div>
                  <div>
                    <Text size="xs" c="dimmed">For the whole window</Text>
                    <Text fw={700} size="xl" data-testid="total-ccu">{q.totalCcu} CCU</Text>
                    <Text size="xs" c="dimmed">≈ {q.currency.amount.toFixed(2)} {q.currency.code}</Text>
                  </div>
                </Group>
                {q.components.length > 0 && (
                  <Text size="xs" c="dimmed">
                    {q.components.map((c) => `${c.component} × ${c.quantity}: ${c.ccuPerHour} CCU/h`).join(' · ')}
                  </Text>
                )}
                {size && qty !== null && <QuotaHeadroom title="Your quota" room={q.quota.user} ask={orderAsks(size, qty, q.totalCcu)} />}
                {size && qty !== null && q.quota.group && <QuotaHeadroom title="Your group's quota" room={q.quota.group} ask={orderAsks(size, qty, q.totalCcu)} />}
                {q.fits ? (
                  <Alert color="green" title="Fits" data-testid="quota-verdict">This order fits your quota.</Alert>
                ) : (
                  <Alert color="red" title="Does not fit" data-testid="quota-verdict">{q.breach}</Alert>
                )}
              </>
            ) : (
              !priced.isError && <Text c="dimmed" size="sm">{problem ?? 'Pricing your choices…'}</Text>
            )}
            {send.error && <Alert color="red" role="alert" title="Not submitted">{errorText(send.error)}</Alert>}
            <Button type="submit" disabled={!fits} loading={send.isPending} aria-describedby={why ? 'order-why' : undefined}>
              Submit request
            </Button>
            {why && <Text size="sm" c="dimmed" id="order-why">{why}</Text>}
          </Stack>
        </Card>
      </SimpleGrid>
    </form>
  );
}
