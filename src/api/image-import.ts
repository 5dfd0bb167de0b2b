import { FleetyardError } from '../domain/errors.ts';
import type { Timer } from '../domain/clock.ts';
import type { Image, ImageStatus } from '../domain/image.ts';
import type { ImageSource } from '../storage/local-storage.ts';
import type { ApiContext } from './context.ts';

/** How often, at most, an import writes its progress into the image's status. */
const PROGRESS_EVERY_MS = 1_000;

export const QUEUED_STATUS: ImageStatus = { state: 'queued', path: null, sizeBytes: 0, message: null, importedBytes: 0, expectedBytes: null };

/**
 * Fills a `queued` image with data from an upload or a server path: `queued` → `importing`
 * (with `importedBytes` growing about once a second, so a long import can be watched) → `ready`.
 * Whatever goes wrong, the image goes back to `queued` with the reason in `status.message`, and
 * the storage keeps nothing of it; a crash in between is healed at the next start
 * (src/control-plane/import-recovery.ts). Only one import runs per image: the switch to
 * `importing` is a versioned write, so a second one gets FY_IMAGE_STATE.
 */
export async function importImageData(
  ctx: ApiContext,
  imageId: string,
  source: ImageSource,
  opts: { expectedBytes: number | null; field: string; maxBytes: number },
): Promise<Image> {
  const { store } = ctx;
  await store.transaction(async (tx) => {
    const cur = await tx.images.require(imageId);
    if (cur.status.state !== 'queued') {
      throw new FleetyardError('FY_IMAGE_STATE', `image ${cur.name} is ${cur.status.state}; only a queued image takes data`, {
        state: cur.status.state,
      });
    }
    await tx.images.update({ ...cur, status: { ...QUEUED_STATUS, state: 'importing', expectedBytes: opts.expectedBytes } }, store.clock.now());
    await tx.emit({ type: 'image.importing', kind: 'image', objectId: cur.id, message: `importing image ${cur.name}`, data: { expectedBytes: opts.expectedBytes } });
  });

  const progress = progressWriter(ctx, imageId);
  try {
    const imported = await ctx.storage.importImage(imageId, source, { maxBytes: opts.maxBytes, field: opts.field, onProgress: progress.report });
    await progress.settle();
    return await store.transaction(async (tx) => {
      const cur = await tx.images.require(imageId);
      const status: ImageStatus = {
        state: 'ready',
        path: imported.path,
        sizeBytes: imported.sizeBytes,
        message: null,
        importedBytes: imported.importedBytes,
        expectedBytes: cur.status.expectedBytes,
      };
      const next = await tx.images.update({ ...cur, status }, store.clock.now());
      await tx.emit({ type: 'image.ready', kind: 'image', objectId: imageId, message: `image ${cur.name} imported (${imported.sizeBytes} bytes)`, data: { sizeBytes: imported.sizeBytes } });
      return next;
    });
  } catch (e) {
    await progress.settle();
    // The source's faults come as FleetyardErrors (4xx); anything else is this host's (a full
    // disk) and stays a 5xx. Either way the image is as it was before: queued, saying why.
    const why = (e instanceof Error ? e.message : String(e)).slice(0, 2_000);
    await ctx.storage.deleteImage(imageId);
    await store.transaction(async (tx) => {
      const cur = await tx.images.get(imageId);
      if (!cur) return;
      await tx.images.update({ ...cur, status: { ...QUEUED_STATUS, message: why } }, store.clock.now());
      await tx.emit({
        type: 'image.import-failed',
        kind: 'image',
        objectId: imageId,
        message: `import of ${cur.name} failed: ${why}`,
        data: { code: e instanceof FleetyardError ? e.code : 'FY_INTERNAL' },
      });
    });
    throw e;
  }
}

/**
 * Writes `importedBytes` at most once per PROGRESS_EVERY_MS (on the injected clock), and once
 * more after a pause, so what was received before the sender stopped is shown too; one write at
 * a time, without an event: progress is read, it wakes nothing. A failed write only loses that
 * update; the import itself goes on.
 */
function progressWriter(ctx: ApiContext, imageId: string): { report: (bytes: number) => void; settle: () => Promise<void> } {
  const { store } = ctx;
  let latest = 0;
  let lastAt = -Infinity;
  let timer: Timer | null = null;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const write = () => {
    timer = null;
    if (stopped) return;
    lastAt = store.clock.now().getTime();
    const bytes = latest;
    chain = chain
      .then(() =>
        store.transaction(async (tx) => {
          const cur = await tx.images.get(imageId);
          if (cur?.status.state !== 'importing' || cur.status.importedBytes >= bytes) return;
          await tx.images.update({ ...cur, status: { ...cur.status, importedBytes: bytes } }, store.clock.now());
        }),
      )
      .catch(() => undefined);
  };
  return {
    report(bytes) {
      latest = bytes;
      if (stopped || timer !== null) return;
      const due = lastAt + PROGRESS_EVERY_MS;
      if (store.clock.now().getTime() >= due) write();
      else timer = store.clock.at(new Date(due), write);
    },
    async settle() {
      stopped = true;
      timer?.cancel();
      await chain;
    },
  };
}
