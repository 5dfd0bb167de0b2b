import { existsSync } from 'node:fs';
import { copyFile, link, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec } from '../../host/exec.ts';
import { SEED_PATH, writeSeed } from '../seed.ts';

/**
 * What a network-booted machine fetches for one boot: its root filesystem as a gzipped
 * tarball (the initramfs unpacks it into RAM, see scripts/build-test-kernel.sh `fy.root=`), and
 * the kernel and initrd beside it.
 *
 * The tarball is the master image, then the appliance's clone (its overlay upper dir, when it
 * has one) on top, then the seed: later entries replace earlier ones when unpacked. Limits of
 * this first version: deletions recorded in the clone (overlay whiteouts) are not applied, and
 * what the appliance writes while it runs stays in its RAM and never reaches the clone.
 *
 * The seed travels in the tarball (root-only, deleted by the appliance's init once applied)
 * rather than as `fy.seed=` on the kernel command line, which every user of the appliance can
 * read in /proc/cmdline for as long as it runs. It holds the login password's hash, never the
 * password, and the boot service serves the tarball only to its machine, once (src/boot).
 */
export async function writeRootTarball(opts: {
  imagePath: string;
  clonePath: string;
  seed: string;
  out: string;
}): Promise<void> {
  const seedRoot = await mkdtemp(join(dirname(opts.out), '.seed-'));
  try {
    await writeSeed(seedRoot, opts.seed);
    const upper = join(opts.clonePath, 'upper');
    const args = ['--numeric-owner', '-czf', `${opts.out}.tmp`, '-C', opts.imagePath, '.'];
    if (existsSync(upper)) args.push('-C', upper, '.');
    // Only the file: its directories keep the modes the image gave them.
    args.push('-C', seedRoot, `./${SEED_PATH}`);
    await exec('tar', args, { timeoutMs: 120_000 });
    await rename(`${opts.out}.tmp`, opts.out);
  } finally {
    await rm(seedRoot, { recursive: true, force: true });
    await rm(`${opts.out}.tmp`, { force: true });
  }
}

/** Puts `from` at `to`: a hard link when both are on one file system, else a copy. */
export async function placeFile(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  try {
    await link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM') throw e;
    await copyFile(from, to);
  }
}
