import { Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import type { Image } from '../../api/types.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { ApiErrorAlert } from './inventory/api-error-alert.tsx';
import { ConfirmModal } from './inventory/confirm-modal.tsx';
import { formatBytes, formatTime } from './inventory/format.ts';
import { ImageUploadForm } from './inventory/image-upload-form.tsx';

const FORMATS = ['rootfs-dir', 'qcow2', 'raw'] as const;

/**
 * Images: their state as it changes (live: image.importing, image.ready, … refresh the list),
 * upload of a new one from a tarball, delete. A delete the server refuses (an appliance or a
 * product uses the image) is shown with the code and message it gave.
 */
export default function ImagesPage() {
  const [uploading, setUploading] = useState<{ image?: Image } | null>(null);
  const [toDelete, setToDelete] = useState<Image | null>(null);
  const remove = useMutation({
    mutationFn: async (image: Image) => unwrap(await api.DELETE('/api/v1/images/{id}', { params: { path: { id: image.id } } })),
    onSettled: () => setToDelete(null),
  });

  const columns: Column<Image>[] = [
    { header: 'Name', cell: (i) => <Text fw={500} size="sm">{i.name}</Text> },
    { header: 'State', cell: (i) => <PhaseBadge phase={i.status.state} /> },
    { header: 'Size', cell: (i) => (i.status.state === 'ready' ? formatBytes(i.status.sizeBytes) : i.status.state === 'importing' ? `${formatBytes(i.status.importedBytes)} received` : '—') },
    { header: 'Format', cell: (i) => i.spec.format, wide: true },
    { header: 'Created', cell: (i) => formatTime(i.createdAt), wide: true },
    { header: 'Message', cell: (i) => <Text size="sm" c={i.status.message ? 'var(--mantine-color-error)' : undefined}>{i.status.message ?? ''}</Text>, wide: true },
    {
      header: 'Actions',
      cell: (i) => (
        <Group gap="xs" wrap="nowrap">
          {i.status.state === 'queued' && <Button size="xs" variant="default" onClick={() => setUploading({ image: i })} aria-label={`Upload the data of ${i.name}`}>Upload</Button>}
          <Button size="xs" color="red" variant="light" onClick={() => { remove.reset(); setToDelete(i); }} aria-label={`Delete ${i.name}`} disabled={i.status.state === 'importing'}>Delete</Button>
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Images</Title>
        <Button onClick={() => setUploading({})}>Upload image</Button>
      </Group>
      {remove.error && remove.variables && (
        <ApiErrorAlert error={remove.error} title={`Image ${remove.variables.name} was not deleted`} onClose={() => remove.reset()} />
      )}
      <ServerTable<Image>
        queryKey={['images']}
        caption="Images, 50 per page"
        rowKey={(i) => i.id}
        columns={columns}
        filters={[
          { name: 'name', label: 'Name' },
          { name: 'format', label: 'Format', options: FORMATS.map((f) => ({ value: f, label: f })) },
        ]}
        fetchPage={async ({ cursor, limit, filters }) =>
          unwrap(await api.GET('/api/v1/images', { params: { query: { cursor, limit, name: filters.name, format: filters.format } } }))}
        empty="No images yet: upload a root filesystem tarball."
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={uploading !== null} onClose={() => setUploading(null)} title={uploading?.image ? `Upload the data of ${uploading.image.name}` : 'Upload an image'} size="lg">
        {uploading && <ImageUploadForm image={uploading.image} onDone={() => setUploading(null)} />}
      </Modal>
      <ConfirmModal
        opened={toDelete !== null}
        title={`Delete image ${toDelete?.name ?? ''}?`}
        text="Its files are removed from the storage. Appliances and products that use it keep it from being deleted."
        action="Delete"
        busy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onClose={() => setToDelete(null)}
      />
    </Stack>
  );
}
