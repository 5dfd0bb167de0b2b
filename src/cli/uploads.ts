import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import type { ApiClient, Page, Upload } from './api-client.ts';
import { usageError } from './cli-error.ts';
import { bytes } from './output.ts';
import type { Progress } from './progress.ts';

/**
 * Local files as upload bodies for `image import` and `kernel import`. A directory is packed as
 * a tar stream on the fly (GNU tar, numeric owners, so a root filesystem keeps its owners and
 * modes); nothing is written to a temporary file and nothing is held in memory.
 */

/** How often the progress line may change. */
const PROGRESS_EVERY_MS = 1_000;

export interface LocalUpload extends Upload {
  /** Settles once the source was read whole (a directory: when tar exited 0). */
  finished: Promise<void>;
}

/** A root filesystem (a .tar / .tar.gz file or a directory) as a tar upload. */
export async function imageUpload(path: string, progress: Progress, label: string): Promise<LocalUpload> {
  const st = await stat(path).catch(() => {
    throw usageError(`${path}: no such file or directory`);
  });
  if (st.isDirectory()) {
    const tar = spawn('tar', ['-c', '-f', '-', '--numeric-owner', '-C', path, '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    tar.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const finished = new Promise<void>((resolve, reject) => {
      tar.once('error', (e) => reject(usageError(`cannot run tar to pack ${path}: ${e.message}`)));
      tar.once('close', (code) => (code === 0 ? resolve() : reject(usageError(`tar could not pack ${path}: ${stderr.trim().slice(0, 500)}`))));
    });
    finished.catch(() => undefined); // awaited by the caller once the upload ended
    return { stream: counted(tar.stdout, progress, label, undefined), contentType: 'application/x-tar', finished };
  }
  if (!st.isFile()) throw usageError(`${path} is neither a file nor a directory`);
  const gzip = (await head(path, 2)).equals(Buffer.from([0x1f, 0x8b]));
  return {
    stream: counted(createReadStream(path), progress, label, st.size),
    contentType: gzip ? 'application/gzip' : 'application/x-tar',
    length: st.size,
    finished: Promise.resolve(),
  };
}

/** A kernel file (vmlinuz, initrd) as an upload; the server checks what it is. */
export async function fileUpload(path: string, progress: Progress, label: string): Promise<LocalUpload> {
  const st = await stat(path).catch(() => {
    throw usageError(`${path}: no such file`);
  });
  if (!st.isFile()) throw usageError(`${path} is not a file`);
  return {
    stream: counted(createReadStream(path), progress, label, st.size),
    contentType: 'application/octet-stream',
    length: st.size,
    finished: Promise.resolve(),
  };
}

/**
 * The object named `name` of a collection if it exists and still waits for its data (`queued`,
 * e.g. after an upload a crash cut short), so an import can be given again under the same name.
 */
export async function queuedByName<T extends { id: string; status: { state: string } }>(
  client: ApiClient,
  collection: 'images' | 'kernels',
  name: string,
): Promise<T | undefined> {
  const page = await client.get<Page<T>>(`/api/v1/${collection}`, { name, limit: 1 });
  const found = page.items[0];
  return found?.status.state === 'queued' ? found : undefined;
}

/** Runs `work`; if it fails, deletes the object this command created (a retry starts clean). */
export async function orRemove<T>(client: ApiClient, path: string | null, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    // Best effort: a server that went away keeps the object `queued`, and the next import
    // under the same name fills it (queuedByName).
    if (path !== null) await client.delete(path).catch(() => undefined);
    throw e;
  }
}

function counted(source: Readable, progress: Progress, label: string, total: number | undefined): Readable {
  let sent = 0;
  let shownAt = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      const now = Date.now();
      if (now - shownAt >= PROGRESS_EVERY_MS) {
        shownAt = now;
        progress.update(`${label}: ${bytes(sent)}${total !== undefined ? ` of ${bytes(total)}` : ''} sent`);
      }
      done(null, chunk);
    },
  });
  source.once('error', (e) => meter.destroy(e));
  return source.pipe(meter);
}

async function head(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
