import { open, stat } from 'node:fs/promises';

/**
 * Reading log files that another process is still writing (consoles, runc logs). A missing file
 * reads as empty: a console that does not exist yet has simply said nothing so far.
 */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** Up to `maxBytes` of a file from `offset` on, as text. */
export async function readFrom(path: string, offset: number, maxBytes: number): Promise<string> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
  try {
    const buf = Buffer.alloc(Math.max(0, maxBytes));
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The last `maxBytes` of a file, as text. */
export async function tail(path: string, maxBytes: number): Promise<string> {
  const size = await fileSize(path);
  return readFrom(path, Math.max(0, size - maxBytes), maxBytes);
}
