import type { Selectable } from 'kysely';
import type { Executor } from './object-repo.ts';
import type { HostKeysTable, JoinTokensTable } from './schema.ts';

/** What a join token is at a given moment (src/identity/join-tokens.ts). */
export type JoinTokenState = 'pending' | 'used' | 'expired' | 'revoked';

export type JoinTokenRow = Selectable<JoinTokensTable>;
export type HostKeysRow = Selectable<HostKeysTable>;

/**
 * Join tokens and the keys hosts enrolled with (migration 007). Secrets are kept as hashes only;
 * a token is spent by `consumeJoinToken`, one conditional update, never by read-then-write.
 */
export class EnrollmentRepo {
  constructor(private readonly db: Executor) {}

  async insertJoinToken(row: JoinTokenRow): Promise<void> {
    await this.db.insertInto('join_tokens').values(row).execute();
  }

  async joinToken(id: string): Promise<JoinTokenRow | undefined> {
    return this.db.selectFrom('join_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Join tokens newest first, `limit` of them below the id `before` (a page's cursor), and only
   * those in `state` at `now` (the same rule as joinTokenInfo: used, else revoked, else expired
   * once past its time, else pending).
   */
  async joinTokens(opts: { limit: number; before?: string | undefined; state?: JoinTokenState | undefined; now: Date }): Promise<JoinTokenRow[]> {
    const at = opts.now.toISOString();
    let q = this.db.selectFrom('join_tokens').selectAll();
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    if (opts.state === 'used') q = q.where('used_at', 'is not', null);
    if (opts.state === 'revoked') q = q.where('used_at', 'is', null).where('revoked_at', 'is not', null);
    if (opts.state === 'expired') q = q.where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '<=', at);
    if (opts.state === 'pending') q = q.where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', at);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /**
   * Spends the token if it is still good: exactly one caller gets true, however many try at once
   * (PostgreSQL re-checks the WHERE after a concurrent update commits; SQLite runs one writer).
   */
  async consumeJoinToken(id: string, secretHash: string, hostId: string, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const r = await this.db
      .updateTable('join_tokens')
      .set({ used_at: at, used_by_host_id: hostId })
      .where('id', '=', id)
      .where('secret_hash', '=', secretHash)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Makes an unused token unusable; false if there is no such token or it was used or revoked already. */
  async revokeJoinToken(id: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('join_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async hostKeys(hostId: string): Promise<HostKeysRow | undefined> {
    return this.db.selectFrom('host_keys').selectAll().where('host_id', '=', hostId).executeTakeFirst();
  }

  async hostKeysByIdentity(identityKey: string): Promise<HostKeysRow | undefined> {
    return this.db.selectFrom('host_keys').selectAll().where('identity_key', '=', identityKey).executeTakeFirst();
  }

  async hostKeysByMachine(machineId: string): Promise<HostKeysRow[]> {
    return this.db.selectFrom('host_keys').selectAll().where('machine_id', '=', machineId).execute();
  }

  /** Binds keys to a host, replacing its earlier binding and any other host's claim on the identity. */
  async bindHostKeys(row: HostKeysRow): Promise<void> {
    await this.db.deleteFrom('host_keys').where((eb) => eb.or([eb('host_id', '=', row.host_id), eb('identity_key', '=', row.identity_key)])).execute();
    await this.db.insertInto('host_keys').values(row).execute();
  }
}
