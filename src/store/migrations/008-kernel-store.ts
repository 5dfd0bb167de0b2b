import type { Kysely } from 'kysely';
import type { Dialect } from '../open.ts';

/**
 * Images and kernels get their data through the API (uploads, or imports from a server import
 * directory) instead of naming any file on the server.
 *
 * - Images: status gains `importedBytes` (all of it, for an image already imported) and
 *   `expectedBytes`; the states gain `queued` (created, waiting for its data).
 * - Kernels: their files now live only in Fleetyard's kernel store, and a record points only
 *   into it. Every kernel registered before this migration names files anywhere on the server
 *   (that was the defect: any file, even /etc/shadow, could be registered and then served on a
 *   boot network). They are NOT copied in: a file outside the import directories is not trusted
 *   to be a kernel, and copying it would serve it all the same. They become `unusable`, keep
 *   their old paths for the record, and boot nothing (the reconciler refuses them, the agent
 *   refuses any path outside its store) until their files are uploaded again
 *   (`PUT /kernels/{id}/vmlinuz`, `…/initrd`, or `POST /kernels/{id}/import`), which turns them
 *   `ready` under the same id, so the appliances that use them need no change.
 *
 * Rows are rewritten in JavaScript (spec and status are JSON text on both engines).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const d = db as unknown as Kysely<{ images: JsonRow; kernels: JsonRow }>;
  for (const row of await d.selectFrom('images').select(['id', 'status']).execute()) {
    const status = JSON.parse(row.status) as Record<string, unknown>;
    const imported = status.state === 'ready' ? Number(status.sizeBytes ?? 0) : 0;
    const next = { ...status, importedBytes: status.importedBytes ?? imported, expectedBytes: status.expectedBytes ?? null };
    await d.updateTable('images').set({ status: JSON.stringify(next) }).where('id', '=', row.id).execute();
  }
  for (const row of await d.selectFrom('kernels').select(['id', 'status']).execute()) {
    const status = {
      state: 'unusable',
      message: 'registered by a server path before Fleetyard kept kernels in its own store; upload its vmlinuz (and initrd) again to use it',
      vmlinuzBytes: null,
      initrdBytes: null,
    };
    await d.updateTable('kernels').set({ status: JSON.stringify(status) }).where('id', '=', row.id).execute();
  }
}

interface JsonRow {
  id: string;
  status: string;
}
