import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetyardError } from '../domain/errors.ts';
import { CommandError, exec } from '../host/exec.ts';
import { diskClonePath } from './convert.ts';
import type { LocalStorage } from './local-storage.ts';

/**
 * Disks for VMs, made from the same central images the containers use:
 *
 *   ROOT/images/<imageId>/disk.qcow2       the image's base disk: its rootfs as one ext4 file
 *                                          system in a qcow2 file, made once, read-only after
 *   ROOT/clones/<applianceId>/disk.qcow2   an appliance's disk: a qcow2 overlay whose backing
 *                                          file is the base disk (the same path convert.ts uses)
 *
 * A disk clone is O(1) whatever the image's size (`qemu-img create -b`, a few ms): it holds only
 * the blocks the appliance writes. The base disk is built once per image (`mkfs.ext4 -d` into a
 * sparse raw file, then `qemu-img convert -O qcow2`), in a temporary directory beside its final
 * name, and published with link(2), which fails instead of replacing: two builders racing (two
 * agents on one storage) keep the first base, so a clone never ends up over a different base
 * than the one it was made on (each mkfs makes a file system with its own UUID and layout).
 *
 * The guest sees the base disk's size: the image's content plus headroom, at least 1 GiB. The
 * raw and qcow2 files are sparse, so the headroom costs no space until the appliance writes.
 */
export class DiskImages {
  private readonly building = new Map<string, Promise<string>>();

  constructor(private readonly storage: LocalStorage) {}

  baseDiskPath(imageId: string): string {
    return join(this.storage.imageDir(imageId), 'disk.qcow2');
  }

  diskClonePath(applianceId: string): string {
    return diskClonePath(this.storage, applianceId);
  }

  /** The image's base disk, built on first use. The image must be an imported rootfs dir. */
  ensureBaseDisk(imageId: string): Promise<string> {
    let pending = this.building.get(imageId);
    if (pending === undefined) {
      pending = this.buildBaseDisk(imageId).finally(() => this.building.delete(imageId));
      this.building.set(imageId, pending);
    }
    return pending;
  }

  /**
   * The appliance's disk: made over the image's base disk if missing, left alone if present
   * (whatever it holds: a clone from an earlier start, or a whole disk a move converted to).
   */
  async ensureDiskClone(imageId: string, applianceId: string): Promise<string> {
    const clone = this.diskClonePath(applianceId);
    if (await exists(clone)) return clone;
    const base = await this.ensureBaseDisk(imageId);
    const dir = this.storage.clonePath(applianceId);
    await mkdir(dir, { recursive: true });
    // Made under a temporary name and linked into place: a crash never leaves half a header,
    // and a concurrent maker's clone is kept rather than replaced.
    const tmp = join(dir, `.disk-${randomBytes(4).toString('hex')}.qcow2`);
    try {
      await run('create the disk clone', 'qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', tmp]);
      await linkNoReplace(tmp, clone);
    } finally {
      await rm(tmp, { force: true });
    }
    return clone;
  }

  /** Removes the appliance's disk and everything written to it; absent is fine. */
  async removeDiskClone(applianceId: string): Promise<void> {
    await rm(this.diskClonePath(applianceId), { force: true });
  }

  private async buildBaseDisk(imageId: string): Promise<string> {
    const final = this.baseDiskPath(imageId);
    if (await exists(final)) return final;
    const rootfs = this.storage.imagePath(imageId);
    if (!(await isDir(rootfs))) {
      throw new FleetyardError('FY_IMAGE_SOURCE', `image ${imageId} has no root filesystem to make a disk of`, { imageId });
    }
    const work = join(this.storage.imageDir(imageId), `.disk-${randomBytes(4).toString('hex')}`);
    await mkdir(work);
    try {
      const used = Number((await run('measure the image', 'du', ['-sxb', rootfs])).stdout.split('\t')[0]);
      const sizeMiB = Math.max(1024, Math.ceil((used * 2 + 256 * 1024 * 1024) / 1_048_576));
      const raw = join(work, 'disk.raw');
      const qcow2 = join(work, 'disk.qcow2');
      await run('size the disk', 'truncate', ['-s', `${sizeMiB}M`, raw]);
      await run('make the file system', 'mkfs.ext4', ['-q', '-F', '-L', 'fleetyard-root', '-d', rootfs, raw]);
      await run('convert the disk', 'qemu-img', ['convert', '-O', 'qcow2', raw, qcow2]);
      await chmod(qcow2, 0o444); // a base under clones must never change
      await linkNoReplace(qcow2, final);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return final;
  }
}

/** link(2) `from` to `to`; an existing `to` wins and is kept (it is equivalent by construction). */
async function linkNoReplace(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

async function run(what: string, command: string, args: string[]): Promise<{ stdout: string }> {
  try {
    return await exec(command, args, { timeoutMs: 600_000 });
  } catch (e) {
    if (e instanceof CommandError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FleetyardError('FY_DRIVER_FAILED', `cannot ${what}: ${(e as Error).message}`, { command });
    }
    throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
