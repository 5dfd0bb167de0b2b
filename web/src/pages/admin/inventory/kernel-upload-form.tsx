import { Button, FileInput, Group, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { NAME_PATTERN } from '../../../../../src/domain/name-pattern.ts';
import { inBackground } from '../../../api/background.ts';
import { api, unwrap } from '../../../api/client.ts';
import { uploadFile, type UploadProgress } from '../../../api/upload.ts';
import { ApiErrorAlert } from './api-error-alert.tsx';
import { formatBytes } from './format.ts';
import type { Kernel } from './inventory-types.ts';

interface Problems {
  name?: string;
  cmdline?: string;
  vmlinuz?: string;
}

/**
 * A kernel from files on the admin's machine: it is created (`queued`), then its initrd and its
 * vmlinuz are streamed to `PUT /kernels/{id}/initrd` and `…/vmlinuz`, in that order, so no
 * appliance can boot it before its initrd is there; the server checks each for what it is.
 * Given an existing `kernel`, only the files are sent.
 */
export function KernelUploadForm({ kernel, onDone }: { kernel?: Kernel; onDone: (kernel: Kernel) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [cmdline, setCmdline] = useState('');
  const [vmlinuz, setVmlinuz] = useState<File | null>(null);
  const [initrd, setInitrd] = useState<File | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [step, setStep] = useState<{ file: 'vmlinuz' | 'initrd'; progress: UploadProgress } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Kernel | null>(null);
  const abort = useRef<AbortController | null>(null);
  // Closing the form (its dialog) cancels an upload under way rather than leaving it unseen.
  useEffect(() => () => abort.current?.abort(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Problems = {};
    if (!kernel) {
      if (!name.trim()) found.name = 'Give the kernel a name';
      else if (!NAME_PATTERN.test(name.trim())) found.name = "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
      if (cmdline.length > 4096 || /[\u0000-\u001f]/.test(cmdline)) found.cmdline = 'One line of at most 4096 characters';
    }
    if (!vmlinuz) found.vmlinuz = 'Choose the kernel image (a bzImage)';
    setProblems(found);
    if (Object.keys(found).length > 0 || !vmlinuz) return;
    setError(null);
    setBusy(true);
    const controller = new AbortController();
    abort.current = controller;
    try {
      let target = kernel ?? created;
      if (!target) {
        target = unwrap(await api.POST('/api/v1/kernels', { body: { name: name.trim(), ...(cmdline.trim() ? { cmdline: cmdline.trim() } : {}) } }));
        setCreated(target);
      }
      const files = [['initrd', initrd], ['vmlinuz', vmlinuz]] as const;
      let latest: Kernel = target;
      for (const [file, chosen] of files) {
        if (!chosen) continue;
        setStep({ file, progress: { sent: 0, total: chosen.size } });
        latest = await uploadFile<Kernel>({
          path: `/api/v1/kernels/${target.id}/${file}`,
          file: chosen,
          contentType: 'application/octet-stream',
          signal: controller.signal,
          onProgress: (progress) => setStep({ file, progress }),
        });
      }
      await queryClient.invalidateQueries({ queryKey: ['kernels'] });
      onDone(latest);
    } catch (err) {
      setError(err);
    } finally {
      abort.current = null;
      setBusy(false);
      setStep(null);
    }
  };

  return (
    <form onSubmit={(e) => inBackground(submit(e), 'uploading a kernel')} noValidate aria-label={kernel ? `Upload the files of kernel ${kernel.name}` : 'Add a kernel'}>
      <Stack>
        {error !== null && <ApiErrorAlert error={error} title={created && !kernel ? `Kernel ${created.name} was created, but its files did not all arrive` : 'The upload did not go through'} />}
        {kernel ? (
          <Text size="sm">Files for kernel <b>{kernel.name}</b>; a file it has already is kept.</Text>
        ) : (
          <>
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={problems.name} disabled={busy || created !== null} data-autofocus />
            <TextInput label="Command line" placeholder="console=ttyS0" description="Kernel parameters; empty: console=ttyS0" value={cmdline} onChange={(e) => setCmdline(e.currentTarget.value)} error={problems.cmdline} disabled={busy || created !== null} />
          </>
        )}
        <FileInput label="vmlinuz" description="The kernel: a bzImage" placeholder="Choose a file" required clearable clearButtonProps={{ 'aria-label': 'Clear the chosen vmlinuz' }} value={vmlinuz} onChange={setVmlinuz} error={problems.vmlinuz} disabled={busy} fileInputProps={{ 'aria-label': 'vmlinuz file' }} />
        <FileInput label="initrd (optional)" description="gzip, zstd, xz or lz4 compressed, or a plain cpio archive" placeholder="Choose a file" clearable clearButtonProps={{ 'aria-label': 'Clear the chosen initrd' }} value={initrd} onChange={setInitrd} disabled={busy} fileInputProps={{ 'aria-label': 'initrd file' }} />
        {step && (
          <Stack gap={4}>
            <Progress value={step.progress.total > 0 ? (100 * step.progress.sent) / step.progress.total : 0} aria-label={`Upload progress of the ${step.file}`} />
            <Text size="sm" aria-live="polite">{step.file}: {formatBytes(step.progress.sent)} of {formatBytes(step.progress.total)} sent</Text>
          </Stack>
        )}
        <Group justify="flex-end">
          {busy && <Button variant="default" onClick={() => abort.current?.abort()}>Cancel upload</Button>}
          <Button type="submit" loading={busy}>{created && !kernel ? 'Try the upload again' : 'Upload'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
