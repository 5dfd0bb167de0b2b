import { Badge, Button, Group, Modal, Stack, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import type { Product, ProductBody } from './cloud/cloud-types.ts';
import { ProductForm } from './cloud/product-form.tsx';

/** Images and kernels to build a product from (pickers: the first 1000 of each). */
function useSources() {
  const images = useQuery({
    queryKey: ['images', 'options'],
    queryFn: async () => unwrap(await api.GET('/api/v1/images', { params: { query: { limit: 1000 } } })),
  });
  const kernels = useQuery({
    queryKey: ['kernels', 'options'],
    queryFn: async () => unwrap(await api.GET('/api/v1/kernels', { params: { query: { limit: 1000 } } })),
  });
  const groups = useQuery({
    queryKey: ['config-groups', 'options'],
    queryFn: async () => unwrap(await api.GET('/api/v1/config-groups', { params: { query: { limit: 1000 } } })),
  });
  return {
    configGroups: (groups.data?.items ?? []).map((g) => g.name),
    images: (images.data?.items ?? []).filter((i) => i.status.state === 'ready').map((i) => ({ value: i.id, label: i.name })),
    kernels: (kernels.data?.items ?? []).map((k) => ({ value: k.id, label: k.name })),
    imageName: (id: string) => images.data?.items.find((i) => i.id === id)?.name ?? id.slice(-8),
  };
}

/** What cloud users may order; the price each size costs follows from the price list. */
export default function ProductsPage() {
  const queryClient = useQueryClient();
  const sources = useSources();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  // The title stays while the dialog closes.
  const [title, setTitle] = useState('');
  const edit = (p: Product | 'new') => {
    setTitle(p === 'new' ? 'Create product' : `Edit product ${p.name}`);
    setEditing(p);
  };
  const close = () => setEditing(null);
  const save = async (body: ProductBody) => {
    if (editing === 'new') {
      unwrap(await api.POST('/api/v1/products', { body }));
    } else if (editing) {
      const { name: _name, ...patch } = body;
      unwrap(await api.PATCH('/api/v1/products/{id}', { params: { path: { id: editing.id } }, body: patch }));
    }
    close();
    await queryClient.invalidateQueries({ queryKey: ['products'] });
  };
  const columns: Column<Product>[] = [
    { header: 'Name', cell: (p) => p.name },
    { header: 'Sizes', cell: (p) => p.spec.sizes.map((s) => `${s.name} (${s.cpu} CPU, ${s.memoryMiB} MiB)`).join(', ') },
    { header: 'Runs as', cell: (p) => p.spec.virtualizations.join(', '), wide: true },
    { header: 'Image', cell: (p) => sources.imageName(p.spec.imageId), wide: true },
    { header: 'HA', cell: (p) => (p.spec.haAllowed ? 'allowed' : 'no'), wide: true },
    { header: 'Configuration', cell: (p) => (p.spec.configGroups?.length ? p.spec.configGroups.join(', ') : '–'), wide: true },
    { header: 'Offered', cell: (p) => <Badge color={p.spec.enabled ? 'green' : 'gray'} variant="light">{p.spec.enabled ? 'enabled' : 'disabled'}</Badge> },
    { header: 'Change', cell: (p) => <Button size="xs" variant="default" aria-label={`Edit ${p.name}`} onClick={() => edit(p)}>Edit</Button> },
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Products</Title>
        <Group gap="xs">
          <Button variant="default" component={Link} to="/admin/price-list">Price list</Button>
          <Button onClick={() => edit('new')}>Create product</Button>
        </Group>
      </Group>
      <ServerTable<Product>
        queryKey={['products']}
        caption="Products, 50 per page"
        rowKey={(p) => p.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) => unwrap(await api.GET('/api/v1/products', { params: { query: { cursor, limit, name: filters.name } } }))}
      />
      <Modal opened={editing !== null} onClose={close} title={title} size="xl">
        {editing !== null && (
          <ProductForm key={editing === 'new' ? 'new' : editing.id} product={editing === 'new' ? undefined : editing} images={sources.images} kernels={sources.kernels} configGroups={sources.configGroups} onSubmit={save} />
        )}
      </Modal>
    </Stack>
  );
}
