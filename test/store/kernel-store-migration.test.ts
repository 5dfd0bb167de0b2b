import { throwawayDatabaseUrl } from '../support/throwaway-database.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { systemClock } from '../../src/domain/clock.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import { migrationsFor } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/open.ts';
import { Store } from '../../src/store/store.ts';

/**
 * Migration 008 on a database written before it, on both engines: a kernel registered by any
 * server path (here the defect's own example, /etc/shadow) becomes `unusable` and boots nothing
 * until its files are uploaded; an imported image gains its byte counts.
 */
const LAST_BEFORE = '008-kernel-store';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`migration 008 on ${engine}`, () => {
    test('marks kernels that name files outside the store unusable and gives images their byte counts', async (t) => {
      const url = await throwawayDatabaseUrl(t, engine);
      const { db, dialect } = openDatabase(url);
      const before = Object.fromEntries(Object.entries(migrationsFor(dialect)).filter(([name]) => name < LAST_BEFORE));
      const { error } = await new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => before } }).migrateToLatest();
      assert.equal(error, undefined);
      const now = new Date().toISOString();
      const core = (id: string, name: string, spec: unknown, status: unknown) => ({
        id,
        name,
        spec: JSON.stringify(spec),
        status: JSON.stringify(status),
        version: 1,
        generation: 1,
        created_at: now,
        updated_at: now,
      });
      const kernelId = uuidv7();
      const imageId = uuidv7();
      const oldSpec = { vmlinuzPath: '/etc/shadow', initrdPath: '/etc/passwd', cmdline: 'console=ttyS0' };
      const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await raw.insertInto('kernels').values(core(kernelId, 'old', oldSpec, {})).execute();
      const storageId = uuidv7();
      await raw.insertInto('storages').values(core(storageId, 'local', { type: 'local', path: '/x' }, { imageCount: 1 })).execute();
      await raw
        .insertInto('images')
        .values({
          ...core(imageId, 'base', { storageId, format: 'rootfs-dir', parentId: null, command: ['/bin/sh'] }, { state: 'ready', path: '/x/rootfs', sizeBytes: 1234, message: null }),
          storage_id: storageId,
          format: 'rootfs-dir',
          parent_id: null,
        })
        .execute();
      await db.destroy();

      const store = await Store.open(url, uuidV7Ids, systemClock);
      t.after(() => store.close());
      const kernel = await store.read.kernels.require(kernelId);
      assert.equal(kernel.status.state, 'unusable');
      assert.match(kernel.status.message ?? '', /upload/);
      assert.deepEqual(kernel.spec, oldSpec, 'the old paths stay for the record');
      const image = await store.read.images.require(imageId);
      assert.deepEqual([image.status.state, image.status.importedBytes, image.status.expectedBytes], ['ready', 1234, null]);
    });
  });
}
