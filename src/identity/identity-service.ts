import { FleetyardError } from '../domain/errors.ts';
import { freshMeta } from '../domain/meta.ts';
import type { Principal, User, UserSpec } from '../domain/user.ts';
import type { Store } from '../store/store.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { formatToken, newSecret, parseToken, sameHash, sha256 } from './secrets.ts';

export const SESSION_TTL_MS = 12 * 3600_000;

const principalOf = (u: User, via: Principal['via']): Principal => ({
  userId: u.id,
  name: u.name,
  role: u.spec.role,
  groupId: u.spec.groupId,
  via,
});

/**
 * Who someone is: users and their passwords, API tokens, web sessions. The API's authentication
 * hook asks here; nothing else reads secrets. A disabled user's tokens and sessions stop working
 * at once because every check re-reads the user.
 */
export class IdentityService {
  constructor(private readonly store: Store) {}

  async createUser(name: string, spec: UserSpec, password: string | null): Promise<User> {
    const user: User = { ...freshMeta(this.store.ids.next(), name, this.store.clock.now()), spec, status: { lastLoginAt: null } };
    const hash = password === null ? null : await hashPassword(password);
    await this.store.transaction(async (tx) => {
      if (spec.groupId) await tx.groups.require(spec.groupId);
      await tx.users.insert(user);
      if (hash) await tx.identity.setPasswordHash(user.id, hash);
      await tx.emit({ type: 'user.created', kind: 'user', objectId: user.id, message: `user ${name} created (${spec.role})`, data: { role: spec.role } });
    });
    return user;
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.store.transaction(async (tx) => {
      await tx.users.require(userId);
      await tx.identity.setPasswordHash(userId, hash);
      await tx.identity.deleteSessionsOf(userId);
      await tx.emit({ type: 'user.password-changed', kind: 'user', objectId: userId, message: 'password changed; sessions ended', data: {} });
    });
  }

  /** Creates a token; the returned string is the only time the secret exists outside a hash. */
  async createToken(userId: string, name: string): Promise<{ id: string; token: string; createdAt: string }> {
    const id = this.store.ids.next();
    const secret = newSecret();
    const createdAt = this.store.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      await tx.users.require(userId);
      await tx.identity.insertToken({ id, user_id: userId, name, secret_hash: sha256(secret), created_at: createdAt, last_used_at: null, revoked_at: null });
      await tx.emit({ type: 'user.token-created', kind: 'user', objectId: userId, message: `API token ${name} created`, data: { tokenId: id } });
    });
    return { id, token: formatToken(id, secret), createdAt };
  }

  async authenticateToken(token: string): Promise<Principal | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const row = await this.store.read.identity.token(parsed.tokenId);
    if (!row || row.revoked_at || !sameHash(row.secret_hash, sha256(parsed.secret))) return undefined;
    const user = await this.store.read.users.get(row.user_id);
    if (!user || user.spec.disabled) return undefined;
    await this.store.read.identity.touchToken(row.id, this.store.clock.now());
    return principalOf(user, 'token');
  }

  /** Checks a password; on success opens a session. Same answer for "no such user" and "wrong password". */
  async login(name: string, password: string): Promise<{ sessionId: string; csrfToken: string; principal: Principal } | undefined> {
    const user = await this.store.read.users.getByName(name);
    const ok = await verifyPassword(password, user ? await this.store.read.identity.passwordHash(user.id) : null);
    if (!user || !ok || user.spec.disabled) return undefined;
    const sessionId = newSecret();
    const csrfToken = newSecret();
    const now = this.store.clock.now();
    await this.store.transaction(async (tx) => {
      await tx.identity.deleteExpiredSessions(now);
      await tx.identity.insertSession({
        id_hash: sha256(sessionId),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      });
      const fresh = await tx.users.require(user.id);
      await tx.users.update({ ...fresh, status: { lastLoginAt: now.toISOString() } }, now);
      await tx.emit({ type: 'user.logged-in', kind: 'user', objectId: user.id, message: `user ${name} logged in`, data: {} });
    });
    return { sessionId, csrfToken, principal: principalOf(user, 'session') };
  }

  async session(sessionId: string): Promise<{ principal: Principal; csrfToken: string } | undefined> {
    const row = await this.store.read.identity.session(sha256(sessionId));
    if (!row || Date.parse(row.expires_at) <= this.store.clock.now().getTime()) return undefined;
    const user = await this.store.read.users.get(row.user_id);
    if (!user || user.spec.disabled) return undefined;
    return { principal: principalOf(user, 'session'), csrfToken: row.csrf_token };
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.read.identity.deleteSession(sha256(sessionId));
  }

  async revokeToken(userId: string, tokenId: string): Promise<void> {
    const row = await this.store.read.identity.token(tokenId);
    if (!row || row.user_id !== userId) throw new FleetyardError('FY_NOT_FOUND', `token ${tokenId} does not exist`, { kind: 'token', id: tokenId });
    await this.store.transaction(async (tx) => {
      await tx.identity.revokeToken(tokenId, this.store.clock.now());
      await tx.emit({ type: 'user.token-revoked', kind: 'user', objectId: userId, message: `API token ${row.name} revoked`, data: { tokenId } });
    });
  }
}
