import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Virtualization } from '../domain/meta.ts';
import { exec, execAllowFail } from '../host/exec.ts';
import type { LocalStorage } from './local-storage.ts';

/**
 * One image anywhere: an appliance's own data in the form its driver needs. Containers and
 * network-booted servers use the directory form (the image under the clone's upper dir); VMs use
 * the disk form (one qcow2 file). A move converts between them on the host that keeps the clone:
 *
 *   dir → disk: the image and the upper dir are stacked read-only (overlayfs with two lowers,
 *               so whiteouts still hide what the appliance deleted) and written into a fresh ext4
 *               disk with `mkfs.ext4 -d`, then stored as qcow2;
 *   disk → dir: the disk is opened read-only through a loop device and copied into an empty
 *               upper dir marked opaque, so the master image underneath no longer shows through.
 *
 * overlayfs ignores an opaque mark on the upper dir's root, so the image is hidden one level
 * down: directories both have are marked opaque, and what only the image has gets a whiteout.
 *
 * CLONE/form records which form holds the newest data, which makes a repeated conversion (after a
 * crash) a no-op rather than a second copy.
 */
export type DataForm = 'dir' | 'disk';

/**
 * How long a step that copies `bytes` may take before it counts as hung: two minutes plus a
 * slow 5 MB/s, so a large root file system is never killed at a fixed 60 s while it is still
 * being copied, and a tool that really hangs still ends.
 */
export const copyTimeoutMs = (bytes: number): number => 120_000 + Math.ceil(bytes / 5_000_000) * 1_000;
/** Walking a tree to measure it (du) is bounded by the file count, not known yet: half an hour. */
const WALK_TIMEOUT_MS = 30 * 60_000;

export const formOf = (v: Virtualization): DataForm => (v === 'qemu' ? 'disk' : 'dir');

export function diskClonePath(storage: LocalStorage, applianceId: string): string {
  return join(storage.clonePath(applianceId), 'disk.qcow2');
}

async function currentForm(storage: LocalStorage, applianceId: string): Promise<DataForm> {
  const marker = join(storage.clonePath(applianceId), 'form');
  if (existsSync(marker)) return (await readFile(marker, 'utf8')).trim() === 'disk' ? 'disk' : 'dir';
  return existsSync(diskClonePath(storage, applianceId)) ? 'disk' : 'dir';
}

async function setForm(storage: LocalStorage, applianceId: string, form: DataForm): Promise<void> {
  await writeFile(join(storage.clonePath(applianceId), 'form'), `${form}\n`);
}

/** Brings the appliance's data into the form `to` needs; nothing to do when it already is. */
export async function convertAppliance(storage: LocalStorage, applianceId: string, imageId: string, to: Virtualization): Promise<void> {
  const want = formOf(to);
  await mkdir(storage.clonePath(applianceId), { recursive: true });
  if ((await currentForm(storage, applianceId)) === want) return;
  if (want === 'disk') await dirToDisk(storage, applianceId, imageId);
  else await diskToDir(storage, applianceId, imageId);
  await setForm(storage, applianceId, want);
}

async function dirToDisk(storage: LocalStorage, applianceId: string, imageId: string): Promise<void> {
  const clone = storage.clonePath(applianceId);
  const upper = join(clone, 'upper');
  await mkdir(upper, { recursive: true });
  const work = await mkdtemp(join(clone, '.convert-'));
  const merged = join(work, 'merged');
  await mkdir(merged);
  const raw = join(work, 'disk.raw');
  let bytes = 0;
  await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${upper}:${storage.imagePath(imageId)}`, merged]);
  try {
    const used = Number((await exec('du', ['-sxb', merged], { timeoutMs: WALK_TIMEOUT_MS })).stdout.split(/\s/)[0] ?? 0);
    const size = Math.ceil((used * 1.5 + 64 * 1024 * 1024) / 1_048_576);
    await exec('truncate', ['-s', `${size}M`, raw]);
    await exec('mkfs.ext4', ['-q', '-F', '-L', 'fleetyard-root', '-d', merged, raw], { timeoutMs: copyTimeoutMs(used) });
    bytes = used;
  } finally {
    await execAllowFail('umount', [merged]);
  }
  const tmpDisk = join(work, 'disk.qcow2');
  await exec('qemu-img', ['convert', '-O', 'qcow2', raw, tmpDisk], { timeoutMs: copyTimeoutMs(bytes) });
  await exec('mv', ['-f', tmpDisk, diskClonePath(storage, applianceId)]);
  await rm(work, { recursive: true, force: true });
}

async function diskToDir(storage: LocalStorage, applianceId: string, imageId: string): Promise<void> {
  const clone = storage.clonePath(applianceId);
  const work = await mkdtemp(join(clone, '.convert-'));
  const raw = join(work, 'disk.raw');
  const mnt = join(work, 'mnt');
  await mkdir(mnt);
  const bytes = (await stat(diskClonePath(storage, applianceId))).size;
  await exec('qemu-img', ['convert', '-O', 'raw', diskClonePath(storage, applianceId), raw], { timeoutMs: copyTimeoutMs(bytes) });
  await exec('mount', ['-o', 'loop,ro', raw, mnt]);
  const upper = join(clone, 'upper');
  try {
    await rm(upper, { recursive: true, force: true });
    await mkdir(upper);
    await exec('cp', ['-a', `${mnt}/.`, `${upper}/`], { timeoutMs: copyTimeoutMs(bytes) });
    await rm(join(upper, 'lost+found'), { recursive: true, force: true });
    await hideImage(storage.imagePath(imageId), upper);
    await rm(join(clone, 'work'), { recursive: true, force: true });
    await mkdir(join(clone, 'work'));
  } finally {
    await execAllowFail('umount', [mnt]);
  }
  await rm(diskClonePath(storage, applianceId), { force: true });
  await rm(work, { recursive: true, force: true });
}

/** Makes the master image invisible under a complete upper tree (see the note at the top). */
async function hideImage(imageRoot: string, upper: string): Promise<void> {
  for (const entry of await readdir(imageRoot, { withFileTypes: true })) {
    const mine = join(upper, entry.name);
    const st = await lstat(mine).catch(() => undefined);
    if (!st) await exec('mknod', [mine, 'c', '0', '0']);
    else if (st.isDirectory() && entry.isDirectory()) await exec('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', mine]);
  }
}
