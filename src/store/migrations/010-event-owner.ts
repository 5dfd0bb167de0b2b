import { sql, type Kysely } from 'kysely';

/**
 * Events get their owner: `owner_id`, the cloud user an event belongs to (null: only admins see
 * it), written with the event (see src/domain/event-types.ts) and read by `owner_id, seq`, which
 * is how a user's stream finds their events. Mails remember their recipient (`recipient_id`), so
 * the events of a mail sent or retried later still know whose they are.
 *
 * What the log already holds is given the owner it can still be known by: a user's own events,
 * credits and quota; the events of requests and of appliances that still exist; the mails about
 * a user or a request. The rest (appliances deleted since) stays admin-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('owner_id', 'text').execute();
  await db.schema.createIndex('events_owner').on('events').columns(['owner_id', 'seq']).execute();
  await db.schema.alterTable('mails').addColumn('recipient_id', 'text').execute();

  await sql`update mails set recipient_id = related_id where related_kind = 'user'`.execute(db);
  await sql`update mails set recipient_id = (select r.owner_id from cloud_requests r where r.id = mails.related_id) where related_kind = 'request'`.execute(db);
  await sql`update events set owner_id = object_id where (kind = 'user' and type like 'user.%') or (kind = 'user' and type = 'quota.set') or type in ('billing.grant', 'billing.adjustment')`.execute(db);
  await sql`update events set owner_id = (select r.owner_id from cloud_requests r where r.id = events.object_id) where kind = 'request'`.execute(db);
  await sql`update events set owner_id = (select a.owner_id from appliances a where a.id = events.object_id) where kind = 'appliance'`.execute(db);
  await sql`update events set owner_id = (select m.recipient_id from mails m where m.id = events.object_id) where kind = 'mail'`.execute(db);
}
