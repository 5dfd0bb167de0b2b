import type { Kysely } from 'kysely';

/**
 * Enrolment of hosts on the bus.
 *
 * - `join_tokens`: single-use, expiring tokens an admin makes; only the SHA-256 of the secret is
 *   kept. A token is consumed by one conditional UPDATE (`used_at IS NULL AND revoked_at IS NULL
 *   AND expires_at > now`), which is what makes it usable exactly once on both engines, however
 *   many agents present it at the same moment. `host_id` set: the token re-enrols that host.
 * - `host_keys`: the keys a host enrolled with, written only by enrolment. Registration and
 *   heartbeats are verified against `identity_key` and cannot change either key; commands and
 *   secrets are sealed to `transit_key`. An identity belongs to one host (unique).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('join_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('used_by_host_id', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createTable('host_keys')
    .addColumn('host_id', 'text', (c) => c.primaryKey())
    .addColumn('identity_key', 'text', (c) => c.notNull().unique())
    .addColumn('transit_key', 'text', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.notNull())
    .addColumn('join_token_id', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .execute();
}
