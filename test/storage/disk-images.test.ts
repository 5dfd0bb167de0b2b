import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isFleetyardError } from '../../src/domain/errors.ts';
import { exec } from '../../src/host/exec.ts';
import { DiskImages } from '../../src/storage/disk-images.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';

/**
 * VM disks from the central images, checked without booting: one base disk per image holding
 * the image's files, clones that are qcow2 overlays over it (so their size does not depend on
 * the image's), made once however often or concurrently they are asked for.
 */
const root = mkdtempSync(join(tmpdir(), 'fy-disks-'));
const storage = new LocalStorage(root);
const disks = new DiskImages(storage);

after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function qemuImgInfo(file: string): Promise<{ 'backing-filename'?: string; 'virtual-size': number; format: string }> {
  return JSON.parse((await exec('qemu-img', ['info', '-U', '--output=json', file])).stdout) as {
    'backing-filename'?: string;
    'virtual-size': number;
    format: string;
  };
}

describe('disk images', () => {
  it('builds the base disk once, from the image files, even when asked concurrently', async () => {
    const src = join(root, 'src');
    await mkdir(join(src, 'etc'), { recursive: true });
    await writeFile(join(src, 'etc', 'hostname'), 'from-image\n');
    await writeFile(join(src, 'big'), Buffer.alloc(8 * 1024 * 1024, 1));
    await storage.importImage('img', src);

    const paths = await Promise.all([disks.ensureBaseDisk('img'), disks.ensureBaseDisk('img'), disks.ensureBaseDisk('img')]);
    assert.deepEqual(new Set(paths), new Set([disks.baseDiskPath('img')]));
    const first = await stat(disks.baseDiskPath('img'));
    assert.equal(first.mode & 0o222, 0, 'the base disk is read-only');
    assert.equal(await disks.ensureBaseDisk('img'), disks.baseDiskPath('img'));
    assert.equal((await stat(disks.baseDiskPath('img'))).ino, first.ino, 'not rebuilt');
    assert.deepEqual((await readdir(storage.imageDir('img'))).sort(), ['disk.qcow2', 'rootfs'], 'no temporary files left');

    const info = await qemuImgInfo(disks.baseDiskPath('img'));
    assert.equal(info.format, 'qcow2');
    assert.ok(info['virtual-size'] >= 1024 * 1024 * 1024, 'headroom for the appliance to write');
    // The files are in the disk's ext4 file system.
    const raw = join(root, 'check.raw');
    await exec('qemu-img', ['convert', '-O', 'raw', disks.baseDiskPath('img'), raw]);
    const cat = await exec('debugfs', ['-R', 'cat /etc/hostname', raw]);
    assert.equal(cat.stdout, 'from-image\n');
    await rm(raw);
  });

  it('clones in O(1): a small overlay backed by the base disk, made once', async () => {
    const clones = await Promise.all(['a1', 'a2'].map((id) => disks.ensureDiskClone('img', id)));
    for (const [i, clone] of clones.entries()) {
      assert.equal(clone, disks.diskClonePath(`a${i + 1}`));
      const info = await qemuImgInfo(clone);
      assert.equal(info['backing-filename'], disks.baseDiskPath('img'));
      assert.ok((await stat(clone)).size < 1024 * 1024, 'the clone holds no image data');
    }
    const inode = (await stat(clones[0] as string)).ino;
    await Promise.all([disks.ensureDiskClone('img', 'a1'), disks.ensureDiskClone('img', 'a1')]);
    assert.equal((await stat(clones[0] as string)).ino, inode, 'an existing clone is kept, never replaced');
    assert.deepEqual(await readdir(storage.clonePath('a1')), ['disk.qcow2'], 'no temporary files left');

    await disks.removeDiskClone('a1');
    await disks.removeDiskClone('a1');
    await assert.rejects(stat(clones[0] as string));
    await storage.removeClone('a2');
    await assert.rejects(stat(clones[1] as string), 'removing the clone dir removes the disk');
  });

  it('refuses an image that has no root filesystem', async () => {
    await assert.rejects(disks.ensureDiskClone('nope', 'a3'), (e) => isFleetyardError(e) && e.code === 'FY_IMAGE_SOURCE');
  });
});
