import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Writes `bytes` of real data to a new file: pseudo-random bytes, every 4 MiB chunk made
 * distinct by its index in its first 8 bytes. Nothing is sparse and no block is zero, so
 * `mkfs.ext4 -d` and `qemu-img convert` (which both skip zero blocks) carry every byte into a
 * disk image. One write per chunk, so the loop is bounded by `bytes / 4 MiB`; it stops with an
 * error when `signal` aborts (the caller removes the partial file with its temp dir).
 */
export async function writeFillerFile(path: string, bytes: number, signal: AbortSignal): Promise<void> {
  const chunk = randomBytes(CHUNK_BYTES);
  const file = await open(path, 'wx');
  try {
    for (let offset = 0, index = 0; offset < bytes; offset += CHUNK_BYTES, index++) {
      signal.throwIfAborted();
      chunk.writeBigUInt64LE(BigInt(index), 0);
      await file.write(chunk, 0, Math.min(CHUNK_BYTES, bytes - offset), offset);
    }
  } finally {
    await file.close();
  }
}
