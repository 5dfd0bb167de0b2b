import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `f` with a file descriptor whose file holds `secret` and has no name any more: the file
 * is made (mode 0600, exclusively) on tmpfs, written, and unlinked before `f` runs, so the
 * secret never reaches a disk and no other process can open it by path. A child given the
 * descriptor as its stdin can reopen `/dev/stdin` (which a socket, Node's usual stdin pipe,
 * cannot be) and reads the secret from the start.
 */
export async function withSecretStdin<T>(secret: string, f: (fd: number) => Promise<T>): Promise<T> {
  const dir = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const path = join(dir, `.fy-secret-${randomBytes(12).toString('hex')}`);
  const fh = await open(path, 'wx+', 0o600);
  try {
    try {
      await fh.writeFile(secret);
    } finally {
      await unlink(path);
    }
    return await f(fh.fd);
  } finally {
    await fh.close();
  }
}
