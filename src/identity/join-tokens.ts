import { FleetyardError, notFound } from '../domain/errors.ts';
import type { JoinTokenRow, JoinTokenState } from '../store/enrollment-repo.ts';
import { decodeCursor, encodeCursor, type Page } from '../store/pagination.ts';
import type { Store } from '../store/store.ts';
import { newSecret, sha256 } from './secrets.ts';

/**
 * Join tokens: what lets a machine become a host on the bus. An admin makes one
 * (`fleetyard host join-token create`), an agent presents it once (`fleetyard agent
 * --join-token`), and it is spent. `fyj_<tokenId>_<secret>`: the id finds the row, the secret is
 * compared by SHA-256 (256 bits of entropy); the whole token is shown only at creation.
 */
export const DEFAULT_JOIN_TOKEN_TTL_MS = 3_600_000;
export const MAX_JOIN_TOKEN_TTL_MS = 7 * 24 * 3_600_000;

export type { JoinTokenState } from '../store/enrollment-repo.ts';
export const JOIN_TOKEN_STATES = ['pending', 'used', 'expired', 'revoked'] as const satisfies readonly JoinTokenState[];

export interface JoinTokenInfo {
  id: string;
  note: string;
  /** The host the token re-enrols; null: it enrols a new host. */
  hostId: string | null;
  state: JoinTokenState;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedByHostId: string | null;
  revokedAt: string | null;
}

export interface CreatedJoinToken extends JoinTokenInfo {
  token: string;
}

export function formatJoinToken(id: string, secret: string): string {
  return `fyj_${id.replace(/-/g, '')}_${secret}`;
}

/** Splits a presented join token; undefined when it cannot be one. */
export function parseJoinToken(token: unknown): { id: string; secretHash: string } | undefined {
  const m = typeof token === 'string' ? /^fyj_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/.exec(token) : null;
  if (!m) return undefined;
  const h = m[1] as string;
  return { id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`, secretHash: sha256(m[2] as string) };
}

export function joinTokenInfo(r: JoinTokenRow, now: Date): JoinTokenInfo {
  const state: JoinTokenState = r.used_at ? 'used' : r.revoked_at ? 'revoked' : r.expires_at <= now.toISOString() ? 'expired' : 'pending';
  return {
    id: r.id,
    note: r.note,
    hostId: r.host_id,
    state,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    usedByHostId: r.used_by_host_id,
    revokedAt: r.revoked_at,
  };
}

export class JoinTokens {
  constructor(private readonly store: Store) {}

  async create(opts: { ttlMs?: number; hostId?: string | null; note?: string; createdBy?: string | null }): Promise<CreatedJoinToken> {
    const ttlMs = opts.ttlMs ?? DEFAULT_JOIN_TOKEN_TTL_MS;
    if (!(ttlMs > 0 && ttlMs <= MAX_JOIN_TOKEN_TTL_MS)) throw new FleetyardError('FY_VALIDATION', 'a join token lives between 1 second and 7 days');
    const id = this.store.ids.next();
    const secret = newSecret();
    const now = this.store.clock.now();
    const row: JoinTokenRow = {
      id,
      secret_hash: sha256(secret),
      host_id: opts.hostId ?? null,
      note: opts.note ?? '',
      created_by: opts.createdBy ?? null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      used_at: null,
      used_by_host_id: null,
      revoked_at: null,
    };
    await this.store.transaction(async (tx) => {
      if (row.host_id) {
        const host = await tx.resources.get(row.host_id);
        // Hosts are the physical resources no other host boots (servers name their boot host).
        if (!host || host.spec.type !== 'physical' || host.spec.hostId !== null) throw notFound('host', row.host_id);
      }
      await tx.enrollment.insertJoinToken(row);
      const target = row.host_id ? `re-enrols host ${row.host_id}` : 'enrols a new host';
      await tx.emit({ type: 'host.join-token-created', kind: 'join-token', objectId: id, message: `join token created; it ${target} until ${row.expires_at}`, data: { hostId: row.host_id } });
    });
    return { ...joinTokenInfo(row, now), token: formatJoinToken(id, secret) };
  }

  /** A page of tokens, newest first, optionally only those in one state. */
  async list(opts: { cursor?: string | undefined; limit?: number | undefined; state?: JoinTokenState | undefined } = {}): Promise<Page<JoinTokenInfo>> {
    const now = this.store.clock.now();
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const before = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
    const rows = await this.store.read.enrollment.joinTokens({ limit: limit + 1, before, state: opts.state, now });
    const items = rows.slice(0, limit).map((r) => joinTokenInfo(r, now));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  /** Revokes an unused token; revoking one that is used or revoked already changes nothing. */
  async revoke(id: string): Promise<JoinTokenInfo> {
    const now = this.store.clock.now();
    return this.store.transaction(async (tx) => {
      const row = await tx.enrollment.joinToken(id);
      if (!row) throw notFound('join token', id);
      if (await tx.enrollment.revokeJoinToken(id, now)) {
        await tx.emit({ type: 'host.join-token-revoked', kind: 'join-token', objectId: id, message: 'join token revoked', data: {} });
      }
      return joinTokenInfo((await tx.enrollment.joinToken(id)) as JoinTokenRow, now);
    });
  }
}
