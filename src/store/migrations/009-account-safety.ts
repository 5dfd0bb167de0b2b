import type { Kysely } from 'kysely';

/**
 * Accounts that cannot be turned against their owner or the installation:
 * - API tokens may expire (`expires_at`, null: never);
 * - a changed e-mail address waits in `email_verifications` until its owner proves they read
 *   it (the code is stored as a hash, with an expiry and a count of wrong tries);
 * - a group's members are found by an index, so a quota check reads only their rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema
    .createTable('email_verifications')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_group').on('users').column('group_id').execute();
}
