import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import { OrderForm } from './order-form.tsx';
import type { OrderBody } from './portal-types.ts';
import { useProducts } from './use-products.ts';

/** Order an appliance: the products on offer, priced and checked against the quota as one chooses. */
export default function OrderPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const products = useProducts();
  const quote = async (body: OrderBody) => unwrap(await api.POST('/api/v1/cloud/quote', { body }));
  const submit = async (body: OrderBody) => {
    const r = unwrap(await api.POST('/api/v1/cloud/requests', { body }));
    await queryClient.invalidateQueries({ queryKey: ['requests'] });
    await navigate(`/portal/requests/${r.id}`);
  };
  return (
    <Stack>
      <Title order={1} size="h2">Order an appliance</Title>
      {products.error && <Alert color="red" role="alert">{errorText(products.error)}</Alert>}
      {products.isPending && <Loader aria-label="Loading the products" />}
      {products.data && products.data.length === 0 && <Text c="dimmed">Nothing is on offer yet. An admin defines the products you may order.</Text>}
      {products.data && products.data.length > 0 && <OrderForm products={products.data} quote={quote} submit={submit} />}
    </Stack>
  );
}
