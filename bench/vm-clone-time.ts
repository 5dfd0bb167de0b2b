import { existsSync } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../src/host/exec.ts';
import { DiskImages } from '../src/storage/disk-images.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { baseImageTar } from '../test/support/base-image.ts';
import { formatBytes, GiB, MiB } from './bytes.ts';
import { writeFillerFile } from './filler-file.ts';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

/** Filler written into each image's rootfs before its base disk is made. */
export const VM_IMAGE_FILLERS = [10 * MiB, 10 * GiB] as const;
/** Timed disk clones per image, after WARMUP_REPS untimed ones; the two images alternate. */
const REPS = 20;
const WARMUP_REPS = 1;
/**
 * Building a base disk holds its data three times at the peak: the filler in the rootfs, the raw
 * disk mkfs.ext4 fills, the qcow2 it is converted to. RESERVE_BYTES stay free on top of that.
 */
const COPIES_AT_PEAK = 3;
const RESERVE_BYTES = 5 * GiB;
const SLOW_COMMAND_MS = 600_000;

export interface VmCloneImage {
  /** The filler really written (e.g. "10GiB"); names the rows. */
  label: string;
  fillerBytesWanted: number;
  fillerBytesWritten: number;
  /** Writing the filler into the image's rootfs. */
  fillMs: number;
  /** DiskImages.ensureBaseDisk (du, truncate, mkfs.ext4 -d, qemu-img convert) + sync. */
  baseDiskMs: number;
  baseDisk: { virtualBytes: number; allocatedBytes: number };
  /** DiskImages.ensureDiskClone: what the agent does before the qemu driver starts a VM. */
  ensureDiskClone: Summary;
  /** Allocated size of one fresh clone (qcow2 header and tables only). */
  cloneAllocatedBytes: number;
}

export interface VmCloneResult {
  freeBytesAtStart: number;
  images: VmCloneImage[];
  /** Big over small at p50; the claim is O(1), the target is the container clone's ≤ 2. */
  ratioP50: number;
  /** Set when the disk had no room for the full filler: says what was written instead. */
  reduced: string | null;
  errors: string[];
  /** Files still on the host after cleanup (should be none). */
  residue: string[];
}

/**
 * Does the qemu driver's disk clone cost the same whatever the image's base disk holds? Two
 * images are made in a LocalStorage of their own under a temp dir: the busybox base image plus a
 * filler of real data (10 MiB and 10 GiB, see filler-file.ts), each turned into its base disk by
 * the real DiskImages.ensureBaseDisk, so the big base disk is a qcow2 really holding 10 GiB.
 * Then DiskImages.ensureDiskClone (a qcow2 over the base disk, `qemu-img create -b`) is timed
 * REPS times per image, alternating the two, each clone removed before the next; the first
 * clone of each is checked to be backed by its base disk at the base's size.
 *
 * The filler is written straight into the imported rootfs (importing it from a directory would
 * copy it once more) and deleted from there once the base disk holds it. If the disk cannot hold
 * three copies of 10 GiB plus a reserve, less is written and `reduced` says so. Everything lives
 * in the temp dir, which is removed whatever happened.
 */
export async function measureVmClones(signal: AbortSignal): Promise<VmCloneResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'fleetyard-bench-vmclone-'));
  const result: VmCloneResult = { freeBytesAtStart: 0, images: [], ratioP50: Number.NaN, reduced: null, errors: [], residue: [] };
  try {
    const storage = new LocalStorage(join(tmp, 'storage'));
    const disks = new DiskImages(storage);
    result.freeBytesAtStart = await freeBytes(tmp);
    const plan = planFillers(result.freeBytesAtStart);
    result.reduced = plan.reduced;
    const built: Array<{ imageId: string; image: VmCloneImage; baseDisk: string; samples: number[] }> = [];
    for (const [i, wanted] of VM_IMAGE_FILLERS.entries()) {
      const bytes = plan.bytes[i] as number;
      const imageId = `bench-vm-${i}`;
      await storage.importImage(imageId, baseImageTar());
      const filler = join(storage.imagePath(imageId), 'filler.bin');
      const t0 = performance.now();
      await writeFillerFile(filler, bytes, signal);
      const t1 = performance.now();
      const baseDisk = await disks.ensureBaseDisk(imageId);
      await exec('sync', [], { timeoutMs: SLOW_COMMAND_MS });
      const t2 = performance.now();
      await rm(filler);
      const info = await qemuImgInfo(baseDisk);
      built.push({
        imageId,
        baseDisk,
        samples: [],
        image: {
          label: formatBytes(bytes),
          fillerBytesWanted: wanted,
          fillerBytesWritten: bytes,
          fillMs: roundMs(t1 - t0),
          baseDiskMs: roundMs(t2 - t1),
          baseDisk: { virtualBytes: info.virtualBytes, allocatedBytes: info.allocatedBytes },
          ensureDiskClone: summarize([]),
          cloneAllocatedBytes: Number.NaN,
        },
      });
    }
    for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
      for (const b of built) {
        signal.throwIfAborted();
        const applianceId = `bench-vmclone-${b.imageId}-${rep}`;
        try {
          const t0 = performance.now();
          const clone = await disks.ensureDiskClone(b.imageId, applianceId);
          const ms = performance.now() - t0;
          if (rep >= WARMUP_REPS) b.samples.push(ms);
          if (rep === 0) b.image.cloneAllocatedBytes = await checkClone(clone, b.baseDisk, b.image.baseDisk.virtualBytes);
        } finally {
          await storage.removeClone(applianceId);
        }
      }
    }
    for (const b of built) b.image.ensureDiskClone = roundSummary(summarize(b.samples));
    result.images = built.map((b) => b.image);
    const [small, big] = result.images;
    if (small && big && small.ensureDiskClone.n > 0 && big.ensureDiskClone.n > 0) {
      result.ratioP50 = Math.round((big.ensureDiskClone.p50 / small.ensureDiskClone.p50) * 100) / 100;
    }
  } catch (e) {
    result.errors.push(`vm-clone: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await rm(tmp, { recursive: true, force: true }).catch((e: unknown) => result.errors.push(`vm-clone cleanup: ${String(e)}`));
    if (existsSync(tmp)) result.residue.push(`dir ${tmp}`);
  }
  return result;
}

/** How much filler each image gets: what is wanted, or what the free space allows for the big one. */
function planFillers(free: number): { bytes: number[]; reduced: string | null } {
  let room = Math.floor((free - RESERVE_BYTES) / COPIES_AT_PEAK);
  const bytes: number[] = [];
  for (const wanted of VM_IMAGE_FILLERS) {
    const b = Math.min(wanted, Math.floor(room / MiB) * MiB);
    if (b < MiB) throw new Error(`only ${formatBytes(free)} free in ${tmpdir()}: no room for a ${formatBytes(wanted)} base disk`);
    bytes.push(b);
    room -= b;
  }
  const short = VM_IMAGE_FILLERS.findIndex((w, i) => bytes[i] !== w);
  const reduced =
    short < 0
      ? null
      : `${formatBytes(free)} free: ${formatBytes(bytes[short] as number)} of real data written instead of ${formatBytes(VM_IMAGE_FILLERS[short] as number)}`;
  return { bytes, reduced };
}

async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

async function qemuImgInfo(path: string): Promise<{ virtualBytes: number; allocatedBytes: number; backing: string | undefined }> {
  const info = JSON.parse((await exec('qemu-img', ['info', '-U', '--output=json', path])).stdout) as {
    'virtual-size': number;
    'actual-size': number;
    'backing-filename'?: string;
  };
  return { virtualBytes: info['virtual-size'], allocatedBytes: info['actual-size'], backing: info['backing-filename'] };
}

/** The clone must be a qcow2 over its base disk with the base's size; returns its allocated bytes. */
async function checkClone(clone: string, baseDisk: string, virtualBytes: number): Promise<number> {
  const info = await qemuImgInfo(clone);
  if (info.backing !== baseDisk) throw new Error(`disk clone ${clone} is backed by ${info.backing ?? 'nothing'}, not ${baseDisk}`);
  if (info.virtualBytes !== virtualBytes) throw new Error(`disk clone ${clone} is ${info.virtualBytes} bytes, its base ${virtualBytes}`);
  return info.allocatedBytes;
}
