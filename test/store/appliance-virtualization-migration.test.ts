import { throwawayDatabaseUrl } from '../support/throwaway-database.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { systemClock } from '../../src/domain/clock.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import { migrationsFor } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/open.ts';
import { Store } from '../../src/store/store.ts';
import { anAppliance, anImage, aStorage } from '../support/objects.ts';

/**
 * Migration 014 on a database written before it, on both engines: every appliance gets the
 * virtualization column its list filters on (where it ran, else what it asks for, else none),
 * and the filter finds them; appliances written afterwards keep it current.
 */
const MIGRATION = '014-appliance-virtualization';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`migration 014 on ${engine}`, () => {
    test('fills the virtualization column of the appliances already there, and the list filters on it', async (t) => {
      const url = await throwawayDatabaseUrl(t, engine);
      const { db, dialect } = openDatabase(url);
      const before = Object.fromEntries(Object.entries(migrationsFor(dialect)).filter(([name]) => name < MIGRATION));
      const { error } = await new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => before } }).migrateToLatest();
      assert.equal(error, undefined);
      const storage = aStorage();
      const image = anImage('base', storage.id);
      const ran = anAppliance('ran-as-vm', image.id, { requirements: { virtualization: 'any' }, status: { virtualization: 'qemu' } });
      const asks = anAppliance('asks-container', image.id, { requirements: { virtualization: 'container' } });
      const any = anAppliance('takes-any', image.id, { requirements: { virtualization: 'any' } });
      const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      const core = (o: { id: string; name: string; spec: unknown; status: unknown }) => ({
        id: o.id,
        name: o.name,
        spec: JSON.stringify(o.spec),
        status: JSON.stringify(o.status),
        version: 1,
        generation: 1,
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      });
      await raw.insertInto('storages').values(core(storage)).execute();
      await raw.insertInto('images').values({ ...core(image), storage_id: storage.id, format: 'rootfs-dir', parent_id: null }).execute();
      for (const a of [ran, asks, any]) {
        await raw
          .insertInto('appliances')
          .values({ ...core(a), owner_id: null, image_id: image.id, host_id: null, phase: a.status.phase, deletion_requested_at: null, finalizers: '[]' })
          .execute();
      }
      await db.destroy();

      const store = await Store.open(url, uuidV7Ids, systemClock);
      t.after(() => store.close());
      const names = async (virtualization: string) => (await store.read.appliances.list({ filters: { virtualization } })).items.map((a) => a.name);
      assert.deepEqual(await names('qemu'), ['ran-as-vm']);
      assert.deepEqual(await names('container'), ['asks-container']);
      // Placed later, the one that took `any` is found where it runs.
      const placed = await store.read.appliances.require(any.id);
      await store.read.appliances.update({ ...placed, status: { ...placed.status, virtualization: 'container' } }, new Date());
      assert.deepEqual(await names('container'), ['asks-container', 'takes-any']);
    });
  });
}
