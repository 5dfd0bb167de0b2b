import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FleetyardError } from '../domain/errors.ts';
import { CommandError, exec } from '../host/exec.ts';
import { pipeInto, streamFrom } from '../host/streams.ts';
import { ByteMeter, endedEarly, HeadCheck, tooLarge } from './byte-meter.ts';
import { isGzip, isTarHeader } from './file-magic.ts';
import type { OpenedSource } from './import-dirs.ts';
import { peek } from './peek.ts';
import { safeName } from './safe-name.ts';

/**
 * The `local` storage: images and clones in plain directories on this host.
 *
 *   ROOT/images/<imageId>/rootfs   a master image, read-only by convention once imported
 *   ROOT/clones/<applianceId>/     an appliance's clone: upper/ and work/ for an overlay
 *
 * A clone is O(1): it is two empty directories, and the container driver stacks them over the
 * master with overlayfs, so nothing of the image is copied (this ext4 has no reflink). Mounting
 * belongs to the driver; this class never mounts or unmounts anything.
 *
 * Imports are atomic: the rootfs is unpacked into a temporary directory beside its final place
 * (`ROOT/images/.import-<imageId>-<hex>`) and renamed in one step, so a crash never leaves a
 * half-imported image under its real name; the control plane removes such leftovers at start.
 * Boot kernels have a store of their own beside the images (kernel-store.ts, `ROOT/kernels/`).
 */
export class LocalStorage {
  readonly rootDir: string;

  constructor(rootDir: string) {
    if (!isAbsolute(rootDir)) throw new RangeError(`storage root must be absolute: ${rootDir}`);
    this.rootDir = rootDir;
  }

  imageDir(imageId: string): string {
    return join(this.rootDir, 'images', safeName(imageId));
  }

  /** The rootfs directory of an imported image (what a RuntimeRoot's imagePath points at). */
  imagePath(imageId: string): string {
    return join(this.imageDir(imageId), 'rootfs');
  }

  /** The root of the kernel store that lives beside the images (see kernel-store.ts). */
  get kernelsDir(): string {
    return join(this.rootDir, 'kernels');
  }

  clonePath(applianceId: string): string {
    return join(this.rootDir, 'clones', safeName(applianceId));
  }

  /**
   * Imports a rootfs from a tar stream (an upload; gzip-compressed or not, told by its first
   * bytes), a tarball or directory on this machine given by path, or one opened inside an import
   * directory (src/storage/import-dirs.ts). Everything travels as one stream into `tar -x`, so
   * nothing is held in memory and no timeout cuts a long import short: it lasts as long as data
   * arrives. More than `maxBytes` received, or unpacked, fails it with FY_UPLOAD_TOO_LARGE.
   * Importing an id that already exists returns the existing image unchanged.
   */
  async importImage(imageId: string, source: string | ImageSource, opts: ImportOptions = {}): Promise<ImportedImage> {
    const src: ImageSource = typeof source === 'string' ? { kind: 'path', path: source } : source;
    const final = this.imageDir(imageId);
    const rootfs = join(final, 'rootfs');
    if (await isDir(rootfs)) {
      if (src.kind === 'stream') src.stream.destroy();
      if (src.kind === 'opened') await src.source.handle.close();
      return { path: rootfs, sizeBytes: await diskUsage(rootfs), importedBytes: 0 };
    }
    const what = describe(src);
    const maxBytes = opts.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const field = opts.field ?? 'source';
    const tmp = join(this.rootDir, 'images', `${IMPORT_PREFIX}${safeName(imageId)}-${randomBytes(4).toString('hex')}`);
    await mkdir(join(tmp, 'rootfs'), { recursive: true });
    const received = new ByteMeter({ maxBytes, tooLarge: (max) => tooLarge(field, max), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
    try {
      const { input, producer } = await openSource(src);
      const { head, stream } = await peek(input, 2);
      await pipeInto('tar', ['-x', '-f', '-', '-C', join(tmp, 'rootfs'), '--numeric-owner'], [
        stream,
        received,
        ...(isGzip(head) ? [createGunzip()] : []),
        new HeadCheck(512, (h) => {
          if (!isTarHeader(h)) throw importFailure(what, 'not a tar archive (or a gzip-compressed one)');
        }),
        new ByteMeter({ maxBytes, tooLarge: (max) => tooLarge(`${field} (unpacked)`, max) }),
      ]);
      await producer;
      await rename(tmp, final);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      if (e instanceof FleetyardError) throw e;
      if (e instanceof CommandError) throw importFailure(what, e.stderr.trim().split('\n').slice(-3).join('; '));
      if (((e as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) throw importFailure(what, 'not valid gzip data');
      if (endedEarly(e)) throw importFailure(what, `the data ended before it was complete (${(e as Error).message})`);
      throw e;
    } finally {
      if (src.kind === 'opened') await src.source.handle.close().catch(() => undefined);
    }
    return { path: rootfs, sizeBytes: await diskUsage(rootfs), importedBytes: received.bytes };
  }

  /** The bytes an imported image's rootfs holds. */
  imageSize(imageId: string): Promise<number> {
    return diskUsage(this.imagePath(imageId));
  }

  /** Whether an image's rootfs is in place (an import that got as far as its final rename). */
  hasImage(imageId: string): Promise<boolean> {
    return isDir(this.imagePath(imageId));
  }

  /**
   * Removes the temporary directories of imports a crash cut short. Only safe while no import
   * runs, i.e. when the control plane starts, before its API listens.
   */
  async removeImportTemporaries(): Promise<string[]> {
    const dir = join(this.rootDir, 'images');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const stale = names.filter((n) => n.startsWith(IMPORT_PREFIX)).map((n) => join(dir, n));
    for (const path of stale) await rm(path, { recursive: true, force: true });
    return stale;
  }

  /** Removes a master image; absent is fine. The caller checks that no clone still uses it. */
  async deleteImage(imageId: string): Promise<void> {
    await rm(this.imageDir(imageId), { recursive: true, force: true });
  }

  /** Makes the appliance's clone (empty upper/ and work/) if missing. Constant time. */
  async ensureClone(applianceId: string): Promise<{ clonePath: string }> {
    const clonePath = this.clonePath(applianceId);
    await mkdir(join(clonePath, 'upper'), { recursive: true });
    await mkdir(join(clonePath, 'work'), { recursive: true });
    return { clonePath };
  }

  /** Removes the clone and everything written to it; absent is fine. Unmounts nothing. */
  async removeClone(applianceId: string): Promise<void> {
    await rm(this.clonePath(applianceId), { recursive: true, force: true });
  }

  /** Appliance ids that have a clone here. */
  async listClones(): Promise<string[]> {
    try {
      return (await readdir(join(this.rootDir, 'clones'), { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Where an image's rootfs comes from. */
export type ImageSource =
  | { kind: 'stream'; stream: Readable }
  | { kind: 'path'; path: string }
  | { kind: 'opened'; source: OpenedSource };

export interface ImportOptions {
  maxBytes?: number;
  /** Bytes of the source read so far, after every chunk. */
  onProgress?: (bytes: number) => void;
  /** The request field the source came from, for error details. */
  field?: string;
}

export interface ImportedImage {
  path: string;
  sizeBytes: number;
  /** Bytes of the source read (compressed, if it was). */
  importedBytes: number;
}

const IMPORT_PREFIX = '.import-';

function describe(src: ImageSource): string {
  return src.kind === 'stream' ? 'the upload' : src.kind === 'path' ? src.path : src.source.path;
}

function importFailure(what: string, why: string): FleetyardError {
  return new FleetyardError('FY_IMAGE_SOURCE', `cannot import ${what}: ${why}`, { source: what });
}

/**
 * The source as a byte stream of a (maybe compressed) tar archive; a directory is packed on the
 * fly by `tar -c`, whose exit is `producer`.
 */
async function openSource(src: ImageSource): Promise<{ input: Readable; producer: Promise<void> }> {
  const none = Promise.resolve();
  if (src.kind === 'stream') return { input: src.stream, producer: none };
  if (src.kind === 'opened') {
    const { source } = src;
    // The directory is entered through the descriptor that was checked, never by its name again.
    if (source.kind === 'dir') return packDir(`/proc/${process.pid}/fd/${source.handle.fd}`);
    return { input: source.handle.createReadStream({ autoClose: false }), producer: none };
  }
  const { path } = src;
  if (!isAbsolute(path)) throw importFailure(path, 'the source must be an absolute path');
  let st;
  try {
    st = await stat(path);
  } catch {
    throw importFailure(path, 'no such file or directory');
  }
  if (st.isDirectory()) return packDir(path);
  if (!st.isFile()) throw importFailure(path, 'expected a directory or a tar file');
  return { input: createReadStream(path), producer: none };
}

function packDir(dir: string): { input: Readable; producer: Promise<void> } {
  const { stdout, done } = streamFrom('tar', ['-c', '-f', '-', '--numeric-owner', '-C', dir, '.']);
  return { input: stdout, producer: done };
}

async function diskUsage(path: string): Promise<number> {
  // Sized to the work: a tree of millions of files takes du a while, and a kill here would
  // fail an import whose data is all in place.
  const { stdout } = await exec('du', ['-sb', path], { timeoutMs: 30 * 60_000 });
  return Number(stdout.split('\t')[0]);
}
