import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FleetyardError } from '../domain/errors.ts';
import type { KernelFile } from '../domain/kernel.ts';
import { ByteMeter, endedEarly, HeadCheck, tooLarge } from './byte-meter.ts';
import { initrdFormat, isBzImage, MAGIC_HEAD_BYTES } from './file-magic.ts';
import { isInside } from './import-dirs.ts';
import { safeName } from './safe-name.ts';

/**
 * Fleetyard's own kernel store: the only place boot kernels and initrds are taken from.
 *
 *   ROOT/<kernelId>/vmlinuz          a bzImage ("HdrS" at 0x202)
 *   ROOT/<kernelId>/initrd           gzip, zstd, xz or lz4 compressed, or a plain cpio archive
 *   ROOT/<kernelId>/.<file>-<hex>    a file still arriving; removed at start (removeTemporaries)
 *
 * ROOT is `kernels/` in the local storage's directory, so an agent that shares the storage
 * directory (see src/agent/run-agent.ts) finds the same files. A file is checked for what it is
 * while it arrives and appears under its name only complete (rename), so a reader never sees
 * half a kernel. The QEMU and physical drivers boot whatever path they are given; the agent
 * refuses, before any driver sees it, a path that does not resolve into this store (holds()).
 */
export class KernelStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    if (!isAbsolute(rootDir)) throw new RangeError(`kernel store root must be absolute: ${rootDir}`);
    this.rootDir = rootDir;
  }

  dir(kernelId: string): string {
    return join(this.rootDir, safeName(kernelId));
  }

  filePath(kernelId: string, file: KernelFile): string {
    return join(this.dir(kernelId), file);
  }

  /**
   * Writes `source` to a temporary file beside the kernel's `file`, refusing it (and keeping
   * nothing) when it is over `maxBytes` (FY_UPLOAD_TOO_LARGE) or is not a kernel / an initrd
   * (FY_KERNEL_FORMAT, with `details.field`). The result is published with `commit()` or
   * dropped with `discard()`, so several files can be checked before any of them is kept.
   */
  async stage(
    kernelId: string,
    file: KernelFile,
    source: Readable,
    opts: { maxBytes: number; field: string },
  ): Promise<StagedKernelFile> {
    const dir = this.dir(kernelId);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${file}-${randomBytes(6).toString('hex')}`);
    const meter = new ByteMeter({ maxBytes: opts.maxBytes, tooLarge: (max) => tooLarge(opts.field, max) });
    const check = new HeadCheck(MAGIC_HEAD_BYTES, (head) => checkMagic(file, head, opts.field));
    try {
      await pipeline(source, meter, check, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
    } catch (e) {
      await rm(tmp, { force: true });
      if (endedEarly(e)) {
        throw new FleetyardError('FY_VALIDATION', `${opts.field}: the file ended before it was complete`, {
          issues: [{ path: `/${opts.field}`, message: 'the upload ended before it was complete' }],
        });
      }
      throw e;
    }
    const final = this.filePath(kernelId, file);
    let settled = false;
    return {
      path: final,
      sizeBytes: meter.bytes,
      async commit() {
        settled = true;
        await rename(tmp, final);
        return final;
      },
      async discard() {
        if (settled) return;
        settled = true;
        await rm(tmp, { force: true });
      },
    };
  }

  /** Whether `path` resolves to a file inside the store (false for anything missing). */
  async holds(path: string): Promise<boolean> {
    try {
      return isInside(await realpath(path), await realpath(this.rootDir));
    } catch {
      return false;
    }
  }

  /** Removes a kernel's files; absent is fine. */
  async remove(kernelId: string): Promise<void> {
    await rm(this.dir(kernelId), { recursive: true, force: true });
  }

  /** Removes every file left half-written by an upload that a crash cut short. */
  async removeTemporaries(): Promise<string[]> {
    const removed: string[] = [];
    for (const kernel of await listDirs(this.rootDir)) {
      const dir = join(this.rootDir, kernel);
      for (const name of await readdir(dir)) {
        if (!name.startsWith('.')) continue;
        await rm(join(dir, name), { recursive: true, force: true });
        removed.push(join(dir, name));
      }
    }
    return removed;
  }
}

export interface StagedKernelFile {
  /** Where the file will be once committed. */
  path: string;
  sizeBytes: number;
  commit(): Promise<string>;
  discard(): Promise<void>;
}

function checkMagic(file: KernelFile, head: Buffer, field: string): void {
  if (file === 'vmlinuz' && !isBzImage(head)) {
    throw new FleetyardError('FY_KERNEL_FORMAT', `${field}: not a Linux kernel (a bzImage has "HdrS" at offset 0x202)`, { field });
  }
  if (file === 'initrd' && initrdFormat(head) === null) {
    throw new FleetyardError('FY_KERNEL_FORMAT', `${field}: not an initrd (expected gzip, zstd, xz or lz4 data, or a cpio archive)`, { field });
  }
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
