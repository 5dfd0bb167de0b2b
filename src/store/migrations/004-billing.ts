import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open.ts';

/**
 * Billing in milli-CCU (integers; `bigint` wherever a sum can pass 2^31, read back with Number()).
 *
 * - `price_lists`: every version of the price list; the highest version is the current one.
 * - `meters`: one per running thing that costs; keeps the price it was opened with and
 *   `posted_until`, how far its usage has been posted.
 * - `usage_records` and `ledger_entries`: append-only (a trigger refuses UPDATE and DELETE), each
 *   row with a deterministic idempotency key under a UNIQUE constraint, so a replayed posting
 *   inserts nothing. A debit points at exactly one usage record and a usage record has at most
 *   one debit.
 * - `balances`: a cache of sum(ledger_entries.amount_milli) per user, rebuilt at will.
 * - `billing_alerts`: the balance level each user was last told about, so a crossing is told once.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('price_lists')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('meters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('appliance_id', 'text')
    .addColumn('ccu_per_hour_milli', 'bigint', (c) => c.notNull().check(sql`ccu_per_hour_milli >= 0`))
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text')
    .addColumn('posted_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meters_user').on('meters').columns(['user_id', 'stopped_at']).execute();
  await db.schema.createIndex('meters_request').on('meters').column('request_id').execute();
  // At most one open meter per (request, appliance): opening twice in a retried transaction finds
  // the first instead of billing the same thing twice.
  await sql`create unique index meters_open_once on meters (request_id, coalesce(appliance_id, '')) where stopped_at is null`.execute(db);

  await db.schema
    .createTable('usage_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meter_id', 'text', (c) => c.notNull().references('meters.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('seconds', 'integer', (c) => c.notNull().check(sql`seconds >= 0`))
    .addColumn('amount_milli', 'bigint', (c) => c.notNull().check(sql`amount_milli >= 0`))
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('usage_records_period', sql`period_start < period_end`)
    .execute();
  await db.schema.createIndex('usage_records_meter').on('usage_records').columns(['meter_id', 'period_start']).execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_milli', 'bigint', (c) => c.notNull())
    .addColumn('usage_record_id', 'text', (c) => c.unique().references('usage_records.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // A debit takes and is explained by a usage record; a grant gives; an adjustment goes either way.
    .addCheckConstraint(
      'ledger_entries_kind',
      sql`(kind = 'debit' and amount_milli <= 0 and usage_record_id is not null)
        or (kind = 'grant' and amount_milli > 0 and usage_record_id is null)
        or (kind = 'adjustment' and usage_record_id is null)`,
    )
    .execute();
  await db.schema.createIndex('ledger_entries_user').on('ledger_entries').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('ledger_entries_user_time').on('ledger_entries').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('balances')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('balance_milli', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_alerts')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('ok', 'low', 'exhausted')`))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();

  await appendOnly(db, dialect, ['usage_records', 'ledger_entries']);
}

/** Refuses UPDATE and DELETE on the tables whose rows are the evidence for every charge. */
async function appendOnly(db: Kysely<unknown>, dialect: Dialect, tables: string[]): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create function fy_append_only() returns trigger language plpgsql as $$
      begin raise exception 'table % is append-only', TG_TABLE_NAME; end $$`.execute(db);
    for (const t of tables) {
      await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)}
        for each row execute function fy_append_only()`.execute(db);
    }
    return;
  }
  for (const t of tables) {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`${t}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(t)}
        begin select raise(abort, ${sql.lit(`${t} is append-only`)}); end`.execute(db);
    }
  }
}
