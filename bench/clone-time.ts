import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mountOverlay, unmountOverlay } from '../src/drivers/container/overlay.ts';
import { exec, execAllowFail } from '../src/host/exec.ts';
import type { BenchFleet } from './fleet.ts';
import { runLifecycles, type LifecycleRow } from './lifecycle.ts';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

const MiB = 1024 * 1024;
export const IMAGE_SIZES = [
  { label: '10MiB', fillerBytes: 10 * MiB },
  { label: '1GiB', fillerBytes: 1024 * MiB },
] as const;

/** Direct clone+mount repetitions per image, and appliances started per image. */
const CLONE_REPS = 20;
const APPLIANCES_PER_IMAGE = 10;

export interface CloneImageResult {
  label: string;
  imageId: string;
  sizeBytes: number;
  importMs: number;
  /** LocalStorage.ensureClone alone: two mkdirs. */
  ensureClone: Summary;
  /** ensureClone + the overlay mount the container driver makes over the image. */
  cloneAndMount: Summary;
  lifecycle: LifecycleRow;
}

export interface CloneResult {
  images: CloneImageResult[];
  /** 1 GiB over 10 MiB, at p50; the claim is O(1), the target is ≤ 2. */
  ratio: { cloneAndMountP50: number; requestToRunningP50: number };
}

/**
 * Does a clone cost the same whatever the image weighs? Two images are built from the busybox
 * base plus a filler file (10 MiB and 1 GiB, fallocate'd so building them is fast but the blocks
 * are really allocated) and imported through the API from a directory. Then, per image:
 *
 *  - the storage clone (`LocalStorage.ensureClone`) and the overlay mount the driver stacks on
 *    it, called directly, CLONE_REPS times; the filler is checked to be visible through the
 *    mount once, so the figure is known to be of a working clone;
 *  - request→running for APPLIANCES_PER_IMAGE appliances of the image, through the API.
 */
export async function measureClones(fleet: BenchFleet, signal: AbortSignal): Promise<CloneResult> {
  const images: CloneImageResult[] = [];
  for (const size of IMAGE_SIZES) {
    if (signal.aborted) break;
    const src = join(fleet.tmpDir, `image-${size.label}`);
    await mkdir(src, { recursive: true });
    await exec('tar', ['-xf', fleet.baseTarball, '-C', src, '--numeric-owner']);
    await fill(join(src, 'filler.bin'), size.fillerBytes);
    const t0 = performance.now();
    const image = await fleet.api.importImage(`bench-${size.label.toLowerCase()}`, src);
    const importMs = performance.now() - t0;
    await rm(src, { recursive: true, force: true });
    // The import just dirtied up to 1 GiB of page cache; let write-back finish now rather than
    // compete with the SQLite commits of the appliances timed next.
    await exec('sync', []);

    const direct = await cloneAndMountTimes(fleet, image.id, size.label, size.fillerBytes);
    const lifecycle = await runLifecycles(fleet, {
      label: `request→running, ${size.label} image`,
      namePrefix: `bench-img-${size.label.toLowerCase()}`,
      imageId: image.id,
      count: APPLIANCES_PER_IMAGE,
      concurrency: 1,
      signal,
    });
    images.push({ label: size.label, imageId: image.id, sizeBytes: image.sizeBytes, importMs: roundMs(importMs), ...direct, lifecycle });
  }
  const [small, big] = images;
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? Math.round((b / a) * 100) / 100 : Number.NaN);
  return {
    images,
    ratio: {
      cloneAndMountP50: ratio(small?.cloneAndMount.p50, big?.cloneAndMount.p50),
      requestToRunningP50: ratio(small?.lifecycle.requestToRunning.p50, big?.lifecycle.requestToRunning.p50),
    },
  };
}

async function fill(path: string, bytes: number): Promise<void> {
  const r = await execAllowFail('fallocate', ['-l', String(bytes), path]);
  if (r.exitCode === 0) return;
  // Some filesystems refuse fallocate; writing zeros takes longer but gives the same file.
  await exec('dd', ['if=/dev/zero', `of=${path}`, 'bs=1M', `count=${Math.ceil(bytes / (1024 * 1024))}`, 'status=none']);
}

async function cloneAndMountTimes(
  fleet: BenchFleet,
  imageId: string,
  label: string,
  fillerBytes: number,
): Promise<{ ensureClone: Summary; cloneAndMount: Summary }> {
  const storage = fleet.storage;
  const clone: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < CLONE_REPS; i++) {
    const id = `bench-clone-${label.toLowerCase()}-${i}`;
    const merged = join(fleet.tmpDir, 'mnt', id);
    try {
      const t0 = performance.now();
      const { clonePath } = await storage.ensureClone(id);
      const t1 = performance.now();
      await mountOverlay({
        lowerDir: storage.imagePath(imageId),
        upperDir: join(clonePath, 'upper'),
        workDir: join(clonePath, 'work'),
        mergedDir: merged,
      });
      const t2 = performance.now();
      clone.push(t1 - t0);
      total.push(t2 - t0);
      if (i === 0 && (await stat(join(merged, 'filler.bin'))).size !== fillerBytes) {
        throw new Error(`the ${label} clone does not show the image's filler file`);
      }
    } finally {
      await unmountOverlay(merged);
      await storage.removeClone(id);
      await rm(merged, { recursive: true, force: true });
    }
  }
  return { ensureClone: roundSummary(summarize(clone)), cloneAndMount: roundSummary(summarize(total)) };
}
