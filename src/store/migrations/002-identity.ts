import type { Kysely } from 'kysely';
import { objectTable } from './object-table.ts';

/** Users, groups, API tokens and web sessions; appliances get an owner. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await objectTable(db, 'groups').execute();
  await objectTable(db, 'users')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('password_hash', 'text')
    .execute();
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('appliances').addColumn('owner_id', 'text').execute();
  await db.schema.createIndex('appliances_owner').on('appliances').column('owner_id').execute();
}
