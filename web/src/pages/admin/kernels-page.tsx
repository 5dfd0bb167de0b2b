import { Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { ApiErrorAlert } from './inventory/api-error-alert.tsx';
import { ConfirmModal } from './inventory/confirm-modal.tsx';
import { formatBytes } from './inventory/format.ts';
import type { Kernel } from './inventory/inventory-types.ts';
import { KernelUploadForm } from './inventory/kernel-upload-form.tsx';

/**
 * Kernels: boot kernel + initrd for VMs and network-booted servers, kept in Fleetyard's kernel
 * store. Add one by uploading its files; a queued (or unusable) one gets its files here too.
 */
export default function KernelsPage() {
  const [uploading, setUploading] = useState<{ kernel?: Kernel } | null>(null);
  const [toDelete, setToDelete] = useState<Kernel | null>(null);
  const remove = useMutation({
    mutationFn: async (k: Kernel) => unwrap(await api.DELETE('/api/v1/kernels/{id}', { params: { path: { id: k.id } } })),
    onSettled: () => setToDelete(null),
  });

  const columns: Column<Kernel>[] = [
    { header: 'Name', cell: (k) => <Text fw={500} size="sm">{k.name}</Text> },
    { header: 'State', cell: (k) => <PhaseBadge phase={k.status.state} /> },
    { header: 'vmlinuz', cell: (k) => formatBytes(k.status.vmlinuzBytes) },
    { header: 'initrd', cell: (k) => formatBytes(k.status.initrdBytes), wide: true },
    { header: 'Command line', cell: (k) => <Code>{k.spec.cmdline}</Code>, wide: true },
    { header: 'Message', cell: (k) => k.status.message ?? '', wide: true },
    {
      header: 'Actions',
      cell: (k) => (
        <Group gap="xs" wrap="nowrap">
          {k.status.state !== 'ready' && <Button size="xs" variant="default" onClick={() => setUploading({ kernel: k })} aria-label={`Upload the files of ${k.name}`}>Upload</Button>}
          <Button size="xs" color="red" variant="light" onClick={() => { remove.reset(); setToDelete(k); }} aria-label={`Delete ${k.name}`}>Delete</Button>
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Kernels</Title>
        <Button onClick={() => setUploading({})}>Add kernel</Button>
      </Group>
      {remove.error && remove.variables && <ApiErrorAlert error={remove.error} title={`Kernel ${remove.variables.name} was not deleted`} onClose={() => remove.reset()} />}
      <ServerTable<Kernel>
        queryKey={['kernels']}
        caption="Kernels, 50 per page"
        rowKey={(k) => k.id}
        columns={columns}
        filters={[{ name: 'name', label: 'Name' }]}
        fetchPage={async ({ cursor, limit, filters }) => unwrap(await api.GET('/api/v1/kernels', { params: { query: { cursor, limit, name: filters.name } } }))}
        empty="No kernels yet: containers need none; VMs and network-booted servers do."
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={uploading !== null} onClose={() => setUploading(null)} title={uploading?.kernel ? `Upload the files of ${uploading.kernel.name}` : 'Add a kernel'} size="lg">
        {uploading && <KernelUploadForm kernel={uploading.kernel} onDone={() => setUploading(null)} />}
      </Modal>
      <ConfirmModal
        opened={toDelete !== null}
        title={`Delete kernel ${toDelete?.name ?? ''}?`}
        text="Its files are removed from the kernel store. Appliances and products that use it keep it from being deleted."
        action="Delete"
        busy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onClose={() => setToDelete(null)}
      />
    </Stack>
  );
}
