import type { Selectable } from 'kysely';
import type { Executor } from './object-repo.ts';
import type { ApiTokensTable, EmailVerificationsTable, SessionsTable } from './schema.ts';

export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SessionRow = Selectable<SessionsTable>;
export type EmailVerificationRow = Selectable<EmailVerificationsTable>;

/**
 * The secret side of identity: password hashes, API token hashes and web sessions. Nothing here
 * is ever returned by the API as stored; secrets are compared by hash only.
 */
export class IdentityRepo {
  constructor(private readonly db: Executor) {}

  async passwordHash(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
    return row?.password_hash ?? null;
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
  }

  async insertToken(row: ApiTokenRow): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }

  async token(id: string): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async tokensOf(userId: string): Promise<ApiTokenRow[]> {
    return this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  }

  async touchToken(id: string, now: Date): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute();
  }

  async revokeToken(id: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertSession(row: SessionRow): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async session(idHash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Ends every session of the user but the one whose id hash is `keep`. */
  async deleteOtherSessionsOf(userId: string, keep: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('id_hash', '!=', keep).execute();
  }

  async putEmailVerification(row: EmailVerificationRow): Promise<void> {
    await this.db.deleteFrom('email_verifications').where('user_id', '=', row.user_id).execute();
    await this.db.insertInto('email_verifications').values(row).execute();
  }

  async emailVerification(userId: string): Promise<EmailVerificationRow | undefined> {
    return this.db.selectFrom('email_verifications').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async countEmailVerificationAttempt(userId: string): Promise<void> {
    await this.db.updateTable('email_verifications').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('user_id', '=', userId).execute();
  }

  async deleteEmailVerification(userId: string): Promise<void> {
    await this.db.deleteFrom('email_verifications').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
  }
}
