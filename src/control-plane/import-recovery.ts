import type { Image } from '../domain/image.ts';
import type { KernelStore } from '../storage/kernel-store.ts';
import type { LocalStorage } from '../storage/local-storage.ts';
import type { Store } from '../store/store.ts';

/**
 * Heals imports a crash cut short, so that nothing of them outlives a restart. Runs at start,
 * before the API listens (no import can be running then): the temporary directories of image
 * imports and the half-written kernel files are removed, and an image left `importing` either
 * becomes `ready` (its data had reached its final place: the crash came between the rename and
 * the status write) or goes back to `queued`, saying why, so its data can be sent again.
 * The local storage belongs to this control plane alone (see ARCHITECTURE.md), so every
 * `importing` row is one of its own, interrupted.
 */
export async function recoverInterruptedImports(
  store: Store,
  storage: LocalStorage,
  kernels: KernelStore,
  log: (msg: string) => void,
): Promise<{ removed: string[]; images: string[] }> {
  const removed = [...(await storage.removeImportTemporaries()), ...(await kernels.removeTemporaries())];
  for (const path of removed) log(`removed ${path}, left by an import a restart interrupted`);
  const images: string[] = [];
  for (const image of await store.read.images.all()) {
    if (image.status.state !== 'importing') continue;
    images.push(image.id);
    if (await storage.hasImage(image.id)) await finish(store, storage, image);
    else await requeue(store, image);
  }
  return { removed, images };
}

async function finish(store: Store, storage: LocalStorage, image: Image): Promise<void> {
  const path = storage.imagePath(image.id);
  const sizeBytes = await storage.imageSize(image.id);
  await store.transaction(async (tx) => {
    const cur = await tx.images.require(image.id);
    const importedBytes = cur.status.expectedBytes ?? cur.status.importedBytes;
    await tx.images.update({ ...cur, status: { ...cur.status, state: 'ready', path, sizeBytes, message: null, importedBytes } }, store.clock.now());
    await tx.emit({ type: 'image.ready', kind: 'image', objectId: image.id, message: `image ${cur.name} imported (found complete after a restart)`, data: { sizeBytes } });
  });
}

async function requeue(store: Store, image: Image): Promise<void> {
  const message = 'the import was interrupted by a restart of the server; send the data again';
  await store.transaction(async (tx) => {
    const cur = await tx.images.require(image.id);
    await tx.images.update(
      { ...cur, status: { state: 'queued', path: null, sizeBytes: 0, message, importedBytes: 0, expectedBytes: null } },
      store.clock.now(),
    );
    await tx.emit({ type: 'image.import-failed', kind: 'image', objectId: image.id, message: `import of ${cur.name} failed: ${message}`, data: { code: 'FY_IMAGE_SOURCE' } });
  });
}
