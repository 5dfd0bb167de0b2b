import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { FleetyardError } from '../domain/errors.ts';
import { CommandError, exec } from '../host/exec.ts';

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
 * and renamed in one step, so a crash never leaves a half-imported image under its real name.
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

  clonePath(applianceId: string): string {
    return join(this.rootDir, 'clones', safeName(applianceId));
  }

  /**
   * Imports a rootfs from a tarball (.tar, .tar.gz, .tgz; compression detected by tar) or a
   * directory. Importing an id that already exists returns the existing image unchanged.
   */
  async importImage(imageId: string, source: string): Promise<{ path: string; sizeBytes: number }> {
    const final = this.imageDir(imageId);
    const rootfs = join(final, 'rootfs');
    if (await isDir(rootfs)) return { path: rootfs, sizeBytes: await diskUsage(rootfs) };

    const kind = await sourceKind(source);
    const imagesDir = join(this.rootDir, 'images');
    const tmp = join(imagesDir, `.import-${safeName(imageId)}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp, { recursive: true });
    try {
      const tmpRootfs = join(tmp, 'rootfs');
      if (kind === 'dir') {
        await exec('cp', ['-a', '--', source, tmpRootfs]);
      } else {
        await mkdir(tmpRootfs);
        await exec('tar', ['-xf', source, '-C', tmpRootfs, '--numeric-owner']);
      }
      await rename(tmp, final);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      if (e instanceof CommandError) {
        throw new FleetyardError('FY_IMAGE_SOURCE', `cannot import ${source}: ${e.stderr.trim()}`, { source });
      }
      throw e;
    }
    return { path: rootfs, sizeBytes: await diskUsage(rootfs) };
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

/** Ids become path components; refuse anything that could escape the storage root. */
function safeName(id: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/.test(id)) throw new RangeError(`not a valid storage name: ${id}`);
  return id;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function sourceKind(source: string): Promise<'dir' | 'tar'> {
  const bad = (why: string) => new FleetyardError('FY_IMAGE_SOURCE', `cannot import ${source}: ${why}`, { source });
  if (!isAbsolute(source)) throw bad('the source must be an absolute path');
  let st;
  try {
    st = await stat(source);
  } catch {
    throw bad('no such file or directory');
  }
  if (st.isDirectory()) return 'dir';
  if (st.isFile() && /\.(tar|tar\.gz|tgz)$/.test(source)) return 'tar';
  throw bad('expected a directory or a .tar/.tar.gz/.tgz file');
}

async function diskUsage(path: string): Promise<number> {
  const { stdout } = await exec('du', ['-sb', path]);
  return Number(stdout.split('\t')[0]);
}
