import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api/client.ts';
import type { Image } from '../../../api/types.ts';
import { recordApi, RecordedXhr, type RecordedCall } from '../../../test/recorded-api.ts';
import { renderInApp } from '../../../test/render.tsx';
import { ImageUploadForm } from './image-upload-form.tsx';

const ID = '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b';

function anImage(state: Image['status']['state'], name = 'tiny'): Image {
  return {
    id: ID,
    name,
    version: 1,
    generation: 1,
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
    spec: { storageId: 'local', format: 'rootfs-dir', parentId: null, command: ['/bin/sh'] },
    status: { state, path: null, sizeBytes: state === 'ready' ? 4096 : 0, message: null, importedBytes: 0, expectedBytes: null },
  };
}

const tarball = () => new File([new Uint8Array(3000).fill(7)], 'tiny.tar.gz', { type: 'application/gzip' });

describe('the image upload form', () => {
  let recorded: { calls: RecordedCall[]; stop: () => void };

  beforeEach(() => {
    RecordedXhr.sent = [];
    vi.stubGlobal('XMLHttpRequest', RecordedXhr);
    setCsrfToken('csrf-of-this-session');
    recorded = recordApi((call) => (call.method === 'POST' && call.path === '/api/v1/images' ? { status: 201, body: anImage('queued') } : { status: 404, body: {} }));
  });

  afterEach(() => {
    recorded.stop();
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('sends nothing until it has a valid name and a file', async () => {
    const user = userEvent.setup({ delay: null });
    renderInApp(<ImageUploadForm onDone={() => undefined} />);
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText('Give the image a name')).toBeTruthy();
    expect(screen.getByText('Choose the tarball to upload')).toBeTruthy();

    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'has spaces');
    await user.upload(screen.getByLabelText('Root filesystem file'), new File([], 'empty.tar'));
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText(/1-63 letters, digits/)).toBeTruthy();
    expect(screen.getByText('This file is empty')).toBeTruthy();
    expect(recorded.calls).toEqual([]);
    expect(RecordedXhr.sent).toEqual([]);
  });

  it('creates the image, then streams the file to it with its type and the session token, showing the bytes sent', async () => {
    const user = userEvent.setup({ delay: null });
    const done = vi.fn();
    renderInApp(<ImageUploadForm onDone={done} />);
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'tiny');
    const file = tarball();
    await user.upload(screen.getByLabelText('Root filesystem file'), file);
    await user.type(screen.getByRole('textbox', { name: /Command/ }), '/bin/sh{enter}-c{enter}  echo hi  {enter}{enter}');
    await user.click(screen.getByRole('button', { name: 'Upload' }));

    await waitFor(() => expect(RecordedXhr.sent).toHaveLength(1));
    expect(recorded.calls.map((c) => [c.method, c.path, c.body])).toEqual([['POST', '/api/v1/images', { name: 'tiny', command: ['/bin/sh', '-c', 'echo hi'] }]]);
    expect(recorded.calls[0]?.headers.get('x-csrf-token')).toBe('csrf-of-this-session');
    const xhr = RecordedXhr.sent[0] as RecordedXhr;
    expect([xhr.method, xhr.url]).toEqual(['PUT', `/api/v1/images/${ID}/file`]);
    expect(xhr.headers['content-type']).toBe('application/gzip');
    expect(xhr.headers['x-csrf-token']).toBe('csrf-of-this-session');
    expect(xhr.body).toBe(file);

    act(() => xhr.progress(1500, 3000));
    expect(screen.getByTestId('upload-progress').textContent).toBe('1.5 KiB of 2.9 KiB sent');
    act(() => xhr.progress(3000, 3000));
    expect(screen.getByTestId('upload-progress').textContent).toMatch(/unpacking/);
    expect(done).not.toHaveBeenCalled();
    act(() => xhr.respond(200, anImage('ready')));
    await waitFor(() => expect(done).toHaveBeenCalledWith(expect.objectContaining({ id: ID, status: expect.objectContaining({ state: 'ready' }) })));
  });

  it('shows the code and message of a refused upload, and a retry sends the file again to the image it made', async () => {
    const user = userEvent.setup({ delay: null });
    const done = vi.fn();
    renderInApp(<ImageUploadForm onDone={done} />);
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'tiny');
    await user.upload(screen.getByLabelText('Root filesystem file'), new File(['not a tar'], 'rootfs.tar'));
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(RecordedXhr.sent).toHaveLength(1));
    expect(RecordedXhr.sent[0]?.headers['content-type']).toBe('application/x-tar');
    act(() => RecordedXhr.sent[0]?.respond(422, { error: { code: 'FY_IMAGE_SOURCE', message: 'body: not a tar archive (or a gzip-compressed one)' } }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Image tiny was created, but its data did not arrive');
    expect(screen.getByTestId('error-code').textContent).toBe('FY_IMAGE_SOURCE');
    expect(alert.textContent).toContain('not a tar archive');

    await user.click(screen.getByRole('button', { name: 'Try the upload again' }));
    await waitFor(() => expect(RecordedXhr.sent).toHaveLength(2));
    expect(recorded.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(RecordedXhr.sent[1]?.url).toBe(`/api/v1/images/${ID}/file`);
    expect(done).not.toHaveBeenCalled();
  });
});
