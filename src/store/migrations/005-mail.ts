import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open.ts';

/**
 * The mail outbox (src/mail/): one row per mail, written in the transaction of the change it
 * reports and sent afterwards by the mail sender.
 *
 * - `idempotency_key` is unique, so a replayed transition inserts nothing (ON CONFLICT DO NOTHING).
 * - `version` guards every state change after the insert: a sender claims a mail by a conditional
 *   update of it, so no two senders ever send one mail at once.
 * - `claimed_until` is set while a send is in flight; a sender that crashed mid-send leaves a
 *   claim that simply expires (`next_attempt_at` is set to the same instant).
 * - `body_text` is what is sent; `body_redacted` is what is shown (secret variables such as a
 *   generated password replaced). A body holding a secret is sealed (`body_sealed` = 1) when the
 *   installation has a key, and once sent it is overwritten with the redacted text, so no secret
 *   stays at rest.
 * - Timestamps are ISO-8601 UTC text as everywhere else, so they compare as strings.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('mails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_redacted', 'text', (c) => c.notNull())
    .addColumn('body_sealed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('next_attempt_at', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('related_kind', 'text')
    .addColumn('related_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('message_id', 'text')
    .execute();
  // The sender's query: pending mails by due time.
  await db.schema.createIndex('mails_due').on('mails').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('mails_to').on('mails').columns(['to_address', 'id']).execute();
  await db.schema.createIndex('mails_related').on('mails').columns(['related_kind', 'related_id']).execute();
}
