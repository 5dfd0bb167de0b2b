import { Button, FileInput, Group, Progress, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { NAME_PATTERN } from '../../../../../src/domain/name-pattern.ts';
import { inBackground } from '../../../api/background.ts';
import { api, unwrap } from '../../../api/client.ts';
import type { Image } from '../../../api/types.ts';
import { imageUploadType, uploadFile, type UploadProgress } from '../../../api/upload.ts';
import { ApiErrorAlert } from './api-error-alert.tsx';
import { formatBytes } from './format.ts';

type Phase = 'idle' | 'creating' | 'sending' | 'unpacking';

interface Problems {
  name?: string;
  file?: string;
  command?: string;
}

/**
 * A new image from a root filesystem tarball on the admin's machine: the image is created
 * (`queued`), then the file is streamed to `PUT /images/{id}/file`, with the bytes sent shown as
 * they go; the server answers once it has unpacked it (`ready`). Given a queued `image`, only
 * its data is sent. A failed upload leaves the image queued, its status saying why.
 */
export function ImageUploadForm({ image, onDone }: { image?: Image; onDone: (image: Image) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [commandText, setCommandText] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Image | null>(null);
  const abort = useRef<AbortController | null>(null);
  // Closing the form (its dialog) cancels an upload under way rather than leaving it unseen.
  useEffect(() => () => abort.current?.abort(), []);
  const busy = phase !== 'idle';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const command = commandText.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    const found = check({ name: image ? image.name : name.trim(), file, command, named: image === undefined });
    setProblems(found);
    if (Object.keys(found).length > 0 || !file) return;
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    try {
      let target = image ?? created;
      if (!target) {
        setPhase('creating');
        target = unwrap(await api.POST('/api/v1/images', { body: { name: name.trim(), ...(command.length > 0 ? { command } : {}) } }));
        setCreated(target);
      }
      setPhase('sending');
      setProgress({ sent: 0, total: file.size });
      const ready = await uploadFile<Image>({
        path: `/api/v1/images/${target.id}/file`,
        file,
        contentType: imageUploadType(file.name),
        signal: controller.signal,
        onProgress: (p) => {
          setProgress(p);
          if (p.sent >= p.total) setPhase('unpacking');
        },
      });
      await queryClient.invalidateQueries({ queryKey: ['images'] });
      onDone(ready);
    } catch (err) {
      setError(err);
    } finally {
      abort.current = null;
      setPhase('idle');
      setProgress(null);
    }
  };

  return (
    <form onSubmit={(e) => inBackground(submit(e), 'uploading an image')} noValidate aria-label={image ? `Upload the data of image ${image.name}` : 'Upload an image'}>
      <Stack>
        {error !== null && (
          <ApiErrorAlert
            error={error}
            title={created && !image ? `Image ${created.name} was created, but its data did not arrive` : 'The upload did not go through'}
          />
        )}
        {image ? (
          <Text size="sm">Image <b>{image.name}</b> is waiting for its data.</Text>
        ) : (
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={problems.name}
            disabled={busy || created !== null}
            description="Letters, digits, '.', '_' or '-', starting with a letter or digit"
            data-autofocus
          />
        )}
        <FileInput
          label="Root filesystem"
          description=".tar or .tar.gz of the whole root filesystem"
          placeholder="Choose a file"
          required
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
          accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
          value={file}
          onChange={setFile}
          error={problems.file}
          disabled={busy}
          fileInputProps={{ 'aria-label': 'Root filesystem file' }}
        />
        {!image && (
          <Textarea
            label="Command (optional)"
            description="What an appliance runs when it names nothing else: one argument per line"
            rows={3}
            value={commandText}
            onChange={(e) => setCommandText(e.currentTarget.value)}
            error={problems.command}
            disabled={busy || created !== null}
          />
        )}
        {progress && (
          <Stack gap={4}>
            <Progress value={progress.total > 0 ? (100 * progress.sent) / progress.total : 0} aria-label="Upload progress" animated={phase === 'unpacking'} />
            <Text size="sm" aria-live="polite" data-testid="upload-progress">
              {phase === 'unpacking' ? 'Sent; the server is unpacking it…' : `${formatBytes(progress.sent)} of ${formatBytes(progress.total)} sent`}
            </Text>
          </Stack>
        )}
        <Group justify="flex-end">
          {busy && <Button variant="default" onClick={() => abort.current?.abort()} disabled={phase === 'creating'}>Cancel upload</Button>}
          <Button type="submit" loading={busy}>{created && !image ? 'Try the upload again' : 'Upload'}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function check(v: { name: string; file: File | null; command: string[]; named: boolean }): Problems {
  const out: Problems = {};
  if (v.named && v.name.length === 0) out.name = 'Give the image a name';
  else if (v.named && !NAME_PATTERN.test(v.name)) out.name = "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
  if (!v.file) out.file = 'Choose the tarball to upload';
  else if (v.file.size === 0) out.file = 'This file is empty';
  if (v.command.length > 64) out.command = 'At most 64 arguments';
  else if (v.command.some((a) => a.length > 4096)) out.command = 'An argument has at most 4096 characters';
  return out;
}
