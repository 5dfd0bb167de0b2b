import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isFleetyardError } from '../../src/domain/errors.ts';
import { exec } from '../../src/host/exec.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';

const work = mkdtempSync(join(tmpdir(), 'fy-storage-'));
after(() => rm(work, { recursive: true, force: true }));

describe('local storage', () => {
  const storage = new LocalStorage(join(work, 'root'));
  const srcDir = join(work, 'src');

  before(async () => {
    await mkdir(join(srcDir, 'etc'), { recursive: true });
    await writeFile(join(srcDir, 'etc/hostname'), 'img\n');
    await exec('tar', ['-C', srcDir, '-cf', join(work, 'img.tar'), '.']);
    await exec('tar', ['-C', srcDir, '-czf', join(work, 'img.tar.gz'), '.']);
  });

  for (const [id, source] of [
    ['from-tar', 'img.tar'],
    ['from-tgz', 'img.tar.gz'],
    ['from-dir', 'src'],
  ] as const) {
    it(`imports ${source}`, async () => {
      const r = await storage.importImage(id, join(work, source));
      assert.equal(r.path, storage.imagePath(id));
      assert.equal(await readFile(join(r.path, 'etc/hostname'), 'utf8'), 'img\n');
      assert.ok(r.sizeBytes > 0);
      // No temporary import dir is left beside the images.
      assert.deepEqual((await readdir(join(storage.rootDir, 'images'))).filter((n) => n.startsWith('.')), []);
    });
  }

  it('returns an already imported image unchanged', async () => {
    const again = await storage.importImage('from-tar', join(work, 'img.tar.gz'));
    assert.equal(again.path, storage.imagePath('from-tar'));
  });

  it('refuses sources it cannot import, leaving nothing behind', async () => {
    await writeFile(join(work, 'broken.tar'), 'this is not a tarball');
    await writeFile(join(work, 'notes.txt'), 'hello');
    for (const source of ['relative/path.tar', join(work, 'missing.tar'), join(work, 'notes.txt'), join(work, 'broken.tar')]) {
      await assert.rejects(storage.importImage('bad', source), (e) => isFleetyardError(e) && e.code === 'FY_IMAGE_SOURCE', source);
    }
    assert.deepEqual((await readdir(join(storage.rootDir, 'images'))).sort(), ['from-dir', 'from-tar', 'from-tgz']);
  });

  it('clones in O(1): the clone is two empty directories whatever the image size', async () => {
    const big = join(work, 'big');
    await mkdir(big);
    await writeFile(join(big, 'blob'), Buffer.alloc(32 * 1024 * 1024, 1));
    await storage.importImage('big', big);
    for (const id of ['ap-small', 'ap-big']) {
      const { clonePath } = await storage.ensureClone(id);
      assert.equal(clonePath, storage.clonePath(id));
      assert.deepEqual((await readdir(clonePath)).sort(), ['upper', 'work']);
      assert.deepEqual(await readdir(join(clonePath, 'upper')), []);
      assert.deepEqual(await readdir(join(clonePath, 'work')), []);
    }
    // ensureClone again keeps what the appliance wrote.
    await writeFile(join(storage.clonePath('ap-big'), 'upper/kept'), 'x');
    await storage.ensureClone('ap-big');
    assert.equal(await readFile(join(storage.clonePath('ap-big'), 'upper/kept'), 'utf8'), 'x');
    assert.deepEqual((await storage.listClones()).sort(), ['ap-big', 'ap-small']);
  });

  it('removes clones and images idempotently', async () => {
    await storage.removeClone('ap-big');
    await storage.removeClone('ap-big');
    assert.deepEqual(await storage.listClones(), ['ap-small']);
    await storage.deleteImage('big');
    await storage.deleteImage('big');
    await assert.rejects(stat(storage.imagePath('big')));
  });

  it('refuses ids that would escape its root', async () => {
    await assert.rejects(storage.ensureClone('../escape'), RangeError);
    assert.throws(() => storage.imagePath('a/b'), RangeError);
  });

  it('lists no clones on an empty root', async () => {
    assert.deepEqual(await new LocalStorage(join(work, 'empty')).listClones(), []);
  });
});
