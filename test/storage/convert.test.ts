import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { execAllowFail, exec } from '../../src/host/exec.ts';
import { convertAppliance, copyTimeoutMs, diskClonePath } from '../../src/storage/convert.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';

/**
 * Moving an appliance between a container and a VM converts its data between the overlay form
 * and a disk. Checked here without booting anything: the tree the appliance sees is the same in
 * both forms, deletions included, and converting twice changes nothing.
 */
const root = mkdtempSync(join(tmpdir(), 'fy-convert-'));
const storage = new LocalStorage(root);
const mounts: string[] = [];

after(async () => {
  for (const m of mounts.reverse()) await execAllowFail('umount', [m]);
  await rm(root, { recursive: true, force: true });
});

async function tree(dir: string): Promise<string[]> {
  const out = (await exec('find', [dir, '-mindepth', '1'])).stdout.split('\n').filter(Boolean);
  return out.map((p) => relative(dir, p)).filter((p) => p !== 'lost+found').sort();
}

async function mountDisk(file: string): Promise<string> {
  const dir = mkdtempSync(join(root, 'view-'));
  const raw = join(dir, 'disk.raw');
  const mnt = join(dir, 'mnt');
  await mkdir(mnt);
  await exec('qemu-img', ['convert', '-O', 'raw', file, raw]);
  await exec('mount', ['-o', 'loop,ro', raw, mnt]);
  mounts.push(mnt);
  return mnt;
}

async function mountOverlay(image: string, clone: string): Promise<string> {
  const mnt = mkdtempSync(join(root, 'overlay-'));
  await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${image},upperdir=${join(clone, 'upper')},workdir=${join(clone, 'work')}`, mnt]);
  mounts.push(mnt);
  return mnt;
}

async function unmount(mnt: string): Promise<void> {
  await exec('umount', [mnt]);
  mounts.splice(mounts.indexOf(mnt), 1);
}

describe('converting an appliance between overlay and disk', () => {
  it('keeps what the appliance wrote and deleted, both ways, once', async () => {
    const src = join(root, 'src');
    await mkdir(join(src, 'etc'), { recursive: true });
    await writeFile(join(src, 'etc', 'hostname'), 'base\n');
    await writeFile(join(src, 'gone-later'), 'x');
    await mkdir(join(src, 'var', 'lib'), { recursive: true });
    await storage.importImage('img', src);
    const image = storage.imagePath('img');
    const { clonePath } = await storage.ensureClone('app');

    // The container writes one file and deletes another (overlayfs records a whiteout).
    let view = await mountOverlay(image, clonePath);
    await writeFile(join(view, 'var', 'lib', 'data.txt'), 'written in the container\n');
    await rm(join(view, 'gone-later'));
    const containerTree = await tree(view);
    await unmount(view);

    await convertAppliance(storage, 'app', 'img', 'qemu');
    assert.ok(existsSync(diskClonePath(storage, 'app')));
    const disk = await mountDisk(diskClonePath(storage, 'app'));
    assert.deepEqual(await tree(disk), containerTree, 'the disk holds exactly what the container saw');
    assert.equal(await readFile(join(disk, 'var', 'lib', 'data.txt'), 'utf8'), 'written in the container\n');
    const diskBefore = (await stat(diskClonePath(storage, 'app'))).mtimeMs;
    await convertAppliance(storage, 'app', 'img', 'qemu');
    assert.equal((await stat(diskClonePath(storage, 'app'))).mtimeMs, diskBefore, 'a second conversion is a no-op');

    await convertAppliance(storage, 'app', 'img', 'container');
    assert.ok(!existsSync(diskClonePath(storage, 'app')), 'the disk goes once the data is back in the directory form');
    view = await mountOverlay(image, clonePath);
    assert.deepEqual(await tree(view), containerTree, 'the container sees the same tree again, deletions included');
    assert.equal(await readFile(join(view, 'var', 'lib', 'data.txt'), 'utf8'), 'written in the container\n');
    await unmount(view);
  });
});

test('a conversion step is given time by the size of what it copies, never a fixed minute', () => {
  assert.ok(copyTimeoutMs(0) >= 60_000);
  // 10 GiB at 5 MB/s is over half an hour; the old fixed 60 s killed it after a minute.
  assert.ok(copyTimeoutMs(10 * 1024 ** 3) > 30 * 60_000);
  assert.ok(copyTimeoutMs(20 * 1024 ** 3) > copyTimeoutMs(10 * 1024 ** 3));
});
