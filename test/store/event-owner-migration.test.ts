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
 * Migration 010 on a log written before it, on both engines: each event gets the owner that can
 * still be found (a user's own events and credits, a user's quota, the events of requests and of
 * appliances that still exist, the mails about a user or a request); the rest stays admin-only.
 */
const LAST_BEFORE = '010-event-owner';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`migration 010 on ${engine}`, () => {
    test('gives the events already in the log the owners that can still be found', async (t) => {
      const url = await throwawayDatabaseUrl(t, engine);
      const { db, dialect } = openDatabase(url);
      const before = Object.fromEntries(Object.entries(migrationsFor(dialect)).filter(([name]) => name < LAST_BEFORE));
      const { error } = await new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => before } }).migrateToLatest();
      assert.equal(error, undefined);
      const now = new Date().toISOString();
      const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      const core = (id: string, name: string) => ({ id, name, spec: '{}', status: '{}', version: 1, generation: 1, created_at: now, updated_at: now });
      const [alice, bob, group, storage, image, appliance, gone, request] = Array.from({ length: 8 }, () => uuidv7());
      const [aliceMail, requestMail, strayMail] = Array.from({ length: 3 }, () => uuidv7());
      await raw.insertInto('storages').values(core(storage as string, 'local')).execute();
      await raw.insertInto('images').values({ ...core(image as string, 'base'), storage_id: storage, format: 'rootfs-dir', parent_id: null }).execute();
      await raw
        .insertInto('appliances')
        .values({ ...core(appliance as string, 'web'), image_id: image, host_id: null, phase: 'running', deletion_requested_at: null, finalizers: '[]', owner_id: alice })
        .execute();
      await raw.insertInto('cloud_requests').values({ ...core(request as string, 'order'), owner_id: bob, state: 'active' }).execute();
      const mail = (id: string, relatedKind: string | null, relatedId: string | null) => ({
        id,
        to_address: 'someone@example.test',
        template: 'request-approved',
        subject: 's',
        body_text: 'b',
        body_redacted: 'b',
        state: 'sent',
        idempotency_key: id,
        related_kind: relatedKind,
        related_id: relatedId,
        created_at: now,
      });
      await raw.insertInto('mails').values([mail(aliceMail as string, 'user', alice as string), mail(requestMail as string, 'request', request as string), mail(strayMail as string, null, null)]).execute();
      const log: Array<[type: string, kind: string, objectId: string]> = [
        ['user.logged-in', 'user', alice as string],
        ['billing.grant', 'billing', bob as string],
        ['billing.price-list-changed', 'billing', '2'],
        ['quota.set', 'user', alice as string],
        ['quota.set', 'group', group as string],
        ['request.submitted', 'request', request as string],
        ['appliance.created', 'appliance', appliance as string],
        ['appliance.deleted', 'appliance', gone as string],
        ['mail.sent', 'mail', aliceMail as string],
        ['mail.sent', 'mail', requestMail as string],
        ['mail.sent', 'mail', strayMail as string],
        ['resource.removed', 'resource', uuidv7()],
      ];
      await raw
        .insertInto('events')
        .values(log.map(([type, kind, objectId], i) => ({ seq: i + 1, id: uuidv7(), time: now, type, kind, object_id: objectId, message: type, data: '{}', published_at: now })))
        .execute();
      await raw.updateTable('event_counter').set({ seq: log.length }).execute();
      await db.destroy();

      const store = await Store.open(url, uuidV7Ids, systemClock);
      t.after(() => store.close());
      const events = await store.read.events.list({ limit: 100 });
      assert.deepEqual(
        events.map((e) => [e.type, e.kind, e.ownerId]),
        [
          ['user.logged-in', 'user', alice],
          ['billing.grant', 'billing', bob],
          ['billing.price-list-changed', 'billing', null],
          ['quota.set', 'user', alice],
          ['quota.set', 'group', null],
          ['request.submitted', 'request', bob],
          ['appliance.created', 'appliance', alice],
          ['appliance.deleted', 'appliance', null],
          ['mail.sent', 'mail', alice],
          ['mail.sent', 'mail', bob],
          ['mail.sent', 'mail', null],
          ['resource.removed', 'resource', null],
        ],
      );
      assert.deepEqual((await store.read.events.list({ ownerId: bob as string })).map((e) => e.seq), [2, 6, 10]);
    });
  });
}
