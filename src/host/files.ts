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

/** Where a chunk of a growing file starts: at a byte offset, or `last` bytes before its end. */
export type ChunkStart = { offset: number } | { last: number };

/** A chunk of a file: its bytes, where they start, and how big the file was when read. */
export interface FileChunk {
  data: Buffer;
  offset: number;
  size: number;
}

/**
 * Up to `maxBytes` of a file from `start`. With `{ last: n }` the chunk starts n bytes before
 * the end (or at 0) and holds at most min(n, maxBytes) bytes, so a caller reading the last n
 * bytes in pieces asks once with `last` and then goes on by offset.
 */
export async function readChunk(path: string, start: ChunkStart, maxBytes: number): Promise<FileChunk> {
  const size = await fileSize(path);
  const offset = 'last' in start ? Math.max(0, size - start.last) : Math.min(start.offset, size);
  const length = Math.max(0, Math.min(maxBytes, 'last' in start ? start.last : maxBytes, size - offset));
  if (length === 0) return { data: Buffer.alloc(0), offset, size };
  const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (!fh) return { data: Buffer.alloc(0), offset, size: 0 };
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return { data: buf.subarray(0, bytesRead), offset, size };
  } finally {
    await fh.close();
  }
}
