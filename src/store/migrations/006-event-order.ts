import { sql, type Kysely } from 'kysely';

/**
 * The event counter: one row whose value is the last event `seq` handed out. A transaction takes
 * its events' seqs from it as the last thing before it commits (see Store.transaction), holding
 * the row's lock until then, so seqs become visible in the order they were given: a reader that
 * has seen seq N never later finds an event below N. A plain `serial` does not promise that on
 * PostgreSQL: a transaction that took seq 5 may commit after one that took seq 6.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_counter')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into event_counter (id, seq) select 1, coalesce(max(seq), 0) from events`.execute(db);
}
