import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isFleetyardError } from '../../src/domain/errors.ts';
import { ImportDirs } from '../../src/storage/import-dirs.ts';

/**
 * What an import by server path may read: regular files and directories inside an import
 * directory once resolved (realpath), never through `..` or a symlink out of it, never a FIFO
 * or a device, and never the data directory through an import directory that merely holds it.
 */
const root = mkdtempSync(join(tmpdir(), 'fy-import-dirs-'));
after(() => rm(root, { recursive: true, force: true }));

describe('import directories', () => {
  const imports = join(root, 'srv');
  const data = join(root, 'srv', 'data');
  const dirs = new ImportDirs([imports, join(root, 'absent')], { protectedDirs: [data] });

  const refused = async (path: string, allowed?: Array<'file' | 'dir'>) =>
    assert.rejects(dirs.open(path, 'source', allowed), (e) => isFleetyardError(e) && e.code === 'FY_IMPORT_PATH' && e.details?.field === 'source', path);

  it('opens files and directories inside, and says what they are', async () => {
    await mkdir(join(imports, 'rootfs', 'etc'), { recursive: true });
    await writeFile(join(imports, 'rootfs.tar'), 'x'.repeat(10));
    const file = await dirs.open(join(imports, 'rootfs.tar'), 'source');
    assert.deepEqual([file.kind, file.path, file.sizeBytes], ['file', join(imports, 'rootfs.tar'), 10]);
    await file.handle.close();
    const dir = await dirs.open(`${imports}/rootfs/etc/..`, 'source');
    assert.deepEqual([dir.kind, dir.path], ['dir', join(imports, 'rootfs')]);
    await dir.handle.close();
    // A symlink that stays inside is fine: it is the place it resolves to that counts.
    await symlink(join(imports, 'rootfs.tar'), join(imports, 'alias.tar'));
    const alias = await dirs.open(join(imports, 'alias.tar'), 'source');
    assert.equal(alias.path, join(imports, 'rootfs.tar'));
    await alias.handle.close();
  });

  it('refuses whatever lies outside, however the path gets there', async () => {
    await symlink('/etc/shadow', join(imports, 'shadow'));
    await symlink('/etc', join(imports, 'etc'));
    for (const path of ['/etc/shadow', '/etc', `${imports}/../`, `${imports}/rootfs/../../../etc/passwd`, join(imports, 'shadow'), join(imports, 'etc', 'passwd'), imports, 'relative/path', join(imports, 'missing')]) {
      await refused(path);
    }
  });

  it('refuses FIFOs, devices, and a directory where a file is wanted', async () => {
    execFileSync('mkfifo', [join(imports, 'fifo')]);
    await refused(join(imports, 'fifo'));
    await symlink('/dev/zero', join(imports, 'zero'));
    await refused(join(imports, 'zero'));
    await refused(join(imports, 'rootfs'), ['file']);
  });

  it('keeps the data directory out, even inside an import directory', async () => {
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'fleetyard.db'), 'secret');
    await refused(join(data, 'fleetyard.db'));
    await refused(data);
    // Its parent would carry it along, packed whole.
    const holder = new ImportDirs([root], { protectedDirs: [data] });
    await assert.rejects(holder.open(imports, 'source'), (e) => isFleetyardError(e) && e.code === 'FY_IMPORT_PATH');
    // The default layout: the import directory inside the data directory is the admin's.
    const inside = new ImportDirs([join(data, 'import')], { protectedDirs: [data] });
    await mkdir(join(data, 'import'));
    await writeFile(join(data, 'import', 'vmlinuz'), 'k');
    const ok = await inside.open(join(data, 'import', 'vmlinuz'), 'vmlinuzPath', ['file']);
    await ok.handle.close();
  });
});
