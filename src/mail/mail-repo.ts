import type { Kysely, Selectable } from 'kysely';
import type { Executor } from '../store/object-repo.ts';
import { decodeCursor, encodeCursor, type Page } from '../store/pagination.ts';
import type { Database } from '../store/schema.ts';
import type { Mail, MailState } from './mail.ts';

/** The `mails` table (migration 005-mail). */
export interface MailsTable {
  id: string;
  to_address: string;
  /** The user the mail is for (migrations/010-event-owner.ts): the owner of its events. */
  recipient_id: string | null;
  template: string;
  subject: string;
  /** What is sent; sealed when `body_sealed` is 1; the redacted text once sent. */
  body_text: string;
  body_redacted: string;
  body_sealed: number;
  state: MailState;
  attempts: number;
  version: number;
  next_attempt_at: string | null;
  claimed_until: string | null;
  last_error: string | null;
  idempotency_key: string;
  related_kind: string | null;
  related_id: string | null;
  created_at: string;
  sent_at: string | null;
  message_id: string | null;
}

export type MailRow = Selectable<MailsTable>;

type MailDatabase = Database & { mails: MailsTable };

export interface MailListOptions {
  cursor?: string | undefined;
  limit?: number | undefined;
  state?: MailState | undefined;
  to?: string | undefined;
  relatedKind?: string | undefined;
  relatedId?: string | undefined;
}

/** Longest error text kept per mail; SMTP answers can be long and only the gist matters. */
const MAX_ERROR = 2_000;

/**
 * Reads and writes mails. After the insert every change is conditional on `version` (and bumps
 * it), so a sender's claim, its result and an admin's retry can never overwrite one another: the
 * loser of a race changes nothing and learns so from the returned value. Times come from the
 * caller, never from here.
 */
export class MailRepo {
  private readonly db: Kysely<MailDatabase>;

  constructor(db: Executor) {
    // A transaction is a Kysely too; `withTables` adds the mails table to its type only.
    this.db = (db as Kysely<Database>).withTables<{ mails: MailsTable }>();
  }

  /** Inserts unless a mail with the same idempotency key exists; true when inserted. */
  async insertIfAbsent(row: MailRow): Promise<boolean> {
    // ON CONFLICT DO NOTHING, not catch-and-ignore: on PostgreSQL a failed statement would abort
    // the caller's whole transaction.
    const r = await this.db
      .insertInto('mails')
      .values(row)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(id: string): Promise<MailRow | undefined> {
    return this.db.selectFrom('mails').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getByIdempotencyKey(key: string): Promise<MailRow | undefined> {
    return this.db.selectFrom('mails').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  }

  /** Cursor pagination in ID order (UUIDv7, so creation order). */
  async list(opts: MailListOptions = {}): Promise<Page<MailRow>> {
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    let q = this.db.selectFrom('mails').selectAll();
    if (opts.state) q = q.where('state', '=', opts.state);
    if (opts.to !== undefined) q = q.where('to_address', '=', opts.to);
    if (opts.relatedKind !== undefined) q = q.where('related_kind', '=', opts.relatedKind);
    if (opts.relatedId !== undefined) q = q.where('related_id', '=', opts.relatedId);
    if (opts.cursor) q = q.where('id', '>', decodeCursor(opts.cursor));
    const rows = await q.orderBy('id').limit(limit + 1).execute();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  /** Pending mails due at `now`, the longest-waiting first. */
  async due(now: Date, limit: number): Promise<MailRow[]> {
    return this.db
      .selectFrom('mails')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** When the next pending mail falls due (a claimed one: when its claim expires). */
  async nextAttemptAt(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('mails')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row?.at ? new Date(row.at) : undefined;
  }

  /**
   * Takes a due mail for one send attempt: counts the attempt and moves `next_attempt_at` to the
   * end of the claim, so no other sender finds it due meanwhile. Undefined when someone else
   * changed the mail first (claimed it, or an admin retried it).
   */
  async claim(mail: MailRow, now: Date, until: Date): Promise<MailRow | undefined> {
    const at = until.toISOString();
    const r = await this.db
      .updateTable('mails')
      .set({ version: mail.version + 1, attempts: mail.attempts + 1, next_attempt_at: at, claimed_until: at })
      .where('id', '=', mail.id)
      .where('version', '=', mail.version)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return { ...mail, version: mail.version + 1, attempts: mail.attempts + 1, next_attempt_at: at, claimed_until: at };
  }

  /** Records a successful send and scrubs the sent text down to its redacted form. */
  async markSent(claimed: MailRow, now: Date, messageId: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable('mails')
      .set((eb) => ({
        version: claimed.version + 1,
        state: 'sent',
        sent_at: now.toISOString(),
        message_id: messageId,
        next_attempt_at: null,
        claimed_until: null,
        body_text: eb.ref('body_redacted'),
        body_sealed: 0,
      }))
      .where('id', '=', claimed.id)
      .where('version', '=', claimed.version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records a failed attempt: tried again at `retryAt`, or given up on when that is null. */
  async markAttemptFailed(claimed: MailRow, error: string, retryAt: Date | null): Promise<boolean> {
    const r = await this.db
      .updateTable('mails')
      .set({
        version: claimed.version + 1,
        state: retryAt ? 'pending' : 'failed',
        next_attempt_at: retryAt?.toISOString() ?? null,
        claimed_until: null,
        last_error: error.slice(0, MAX_ERROR),
      })
      .where('id', '=', claimed.id)
      .where('version', '=', claimed.version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * An admin's retry: a failed mail, or a pending one not being sent right now, becomes due at
   * `now` with a fresh count of attempts. A mail that failed before any attempt (it could not be
   * rendered) has nothing to send and is left alone. Undefined when the mail is not retryable.
   */
  async retry(id: string, now: Date): Promise<MailRow | undefined> {
    const t = now.toISOString();
    const r = await this.db
      .updateTable('mails')
      .set((eb) => ({ version: eb('version', '+', 1), state: 'pending', attempts: 0, next_attempt_at: t, claimed_until: null }))
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'failed'), eb('attempts', '>', 0)]),
          eb.and([eb('state', '=', 'pending'), eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', t)])]),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? this.get(id) : undefined;
  }
}

/** The API's view of a row: the redacted body only, camelCase, related as one object. */
export function toMail(row: MailRow): Mail {
  return {
    id: row.id,
    to: row.to_address,
    template: row.template,
    subject: row.subject,
    body: row.body_redacted,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    idempotencyKey: row.idempotency_key,
    related: row.related_kind !== null && row.related_id !== null ? { kind: row.related_kind, id: row.related_id } : null,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    messageId: row.message_id,
  };
}
