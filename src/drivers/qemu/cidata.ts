import { open, rename, rm } from 'node:fs/promises';
import { exec } from '../../host/exec.ts';
import { NOCLOUD_FILES, type NoCloudSeed } from '../../config/cloud-init-seed.ts';

/**
 * A VM's NoCloud seed volume: a small FAT file system labelled CIDATA holding `user-data`,
 * `meta-data` and `network-config` (src/config/cloud-init-seed.ts), which cloud-init in the guest
 * finds by its label (https://cloudinit.readthedocs.io/en/latest/reference/datasources/nocloud.html)
 * and QEMU attaches read-only after the root disk.
 *
 * Made without mounting anything: `mkfs.vfat` formats a file, `mcopy` (mtools) writes each file
 * into it from standard input, so the seed's text (a password's hash among it) is never a file of
 * its own on the host. The image is made under a temporary name (mode 0600 from the first byte)
 * and renamed into place, so a crash leaves either the old image or the new one.
 */

/** FAT12 needs some room for itself; the seed's files get twice their size besides. */
const MIN_IMAGE_BYTES = 1024 * 1024;
const ROUND_BYTES = 64 * 1024;

export const CIDATA_LABEL = 'CIDATA';

export async function writeCidataImage(path: string, seed: NoCloudSeed): Promise<void> {
  const files = (Object.keys(NOCLOUD_FILES) as (keyof NoCloudSeed)[]).map((k) => [NOCLOUD_FILES[k], seed[k]] as const);
  const content = files.reduce((sum, [, text]) => sum + Buffer.byteLength(text), 0);
  const size = Math.ceil((MIN_IMAGE_BYTES + 2 * content) / ROUND_BYTES) * ROUND_BYTES;
  const tmp = `${path}.tmp`;
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.truncate(size);
  } finally {
    await fh.close();
  }
  try {
    await exec('mkfs.vfat', ['-n', CIDATA_LABEL, tmp], { timeoutMs: 30_000 });
    for (const [name, text] of files) await exec('mcopy', ['-i', tmp, '-', `::${name}`], { input: text, timeoutMs: 30_000 });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
