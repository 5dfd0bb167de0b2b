import { randomBytes } from 'node:crypto';
import { FleetyardError } from '../domain/errors.ts';
import { freshMeta } from '../domain/meta.ts';
import type { Principal, User, UserSpec } from '../domain/user.ts';
import type { Store } from '../store/store.ts';
import type { Repos } from '../store/store.ts';
import { retryOnVersionConflict } from '../store/version-retry.ts';
import { LoginThrottle } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { formatToken, newSecret, parseToken, sameHash, sha256 } from './secrets.ts';

export const SESSION_TTL_MS = 12 * 3600_000;
/** How long the code mailed for an e-mail change holds, and how many wrong tries it takes. */
export const EMAIL_CODE_TTL_MS = 24 * 3600_000;
export const EMAIL_CODE_MAX_ATTEMPTS = 5;

/** Ten characters a person can type from a mail: Crockford's base32 alphabet, 50 bits. */
function newVerificationCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...randomBytes(10)].map((b) => alphabet[b % 32]).join('');
}

/** Where the verification mail goes: the mail outbox, inside the caller's transaction. */
export interface MailQueue {
  enqueue(tx: Repos, mail: { to: string; recipientId: string; template: string; vars: Record<string, string>; idempotencyKey: string; related: { kind: string; id: string } }): Promise<void>;
}

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
  readonly throttle: LoginThrottle;

  constructor(private readonly store: Store) {
    this.throttle = new LoginThrottle(store.clock);
  }

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

  /**
   * Sets a password and ends the user's sessions: all of them, or all but `keepSession` (the
   * session the change was made from, so whoever changed it stays logged in there).
   */
  async setPassword(userId: string, password: string, opts: { keepSession?: string | undefined } = {}): Promise<void> {
    const hash = await hashPassword(password);
    await this.store.transaction(async (tx) => {
      await tx.users.require(userId);
      await tx.identity.setPasswordHash(userId, hash);
      if (opts.keepSession) await tx.identity.deleteOtherSessionsOf(userId, sha256(opts.keepSession));
      else await tx.identity.deleteSessionsOf(userId);
      await tx.emit({ type: 'user.password-changed', kind: 'user', objectId: userId, message: 'password changed; other sessions ended', data: {} });
    });
  }

  /** Whether `password` is the user's current one (for a change that must prove it). */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    return verifyPassword(password, await this.store.read.identity.passwordHash(userId));
  }

  /**
   * Starts a change of the user's e-mail address: the new one waits, in `spec.pendingEmail`, for
   * the code mailed to it (by `mail`, in the same transaction). Mail about the account keeps
   * going to the old address until the code comes back (verifyEmail).
   */
  async requestEmailChange(userId: string, email: string, mail: MailQueue): Promise<User> {
    const code = newVerificationCode();
    const now = this.store.clock.now();
    const expiresAt = new Date(now.getTime() + EMAIL_CODE_TTL_MS).toISOString();
    return retryOnVersionConflict(() =>
      this.store.transaction(async (tx) => {
        const u = await tx.users.require(userId);
        const next = await tx.users.update({ ...u, spec: { ...u.spec, pendingEmail: email } }, now, true);
        await tx.identity.putEmailVerification({ user_id: userId, email, code_hash: sha256(code), expires_at: expiresAt, attempts: 0 });
        await mail.enqueue(tx, {
          to: email,
          recipientId: userId,
          template: 'email-verify',
          vars: { user: u.name, email, code, expiresAt },
          idempotencyKey: `email-verify:${userId}:${sha256(code)}`,
          related: { kind: 'user', id: userId },
        });
        await tx.emit({ type: 'user.email-change-requested', kind: 'user', objectId: userId, message: `user ${u.name} asked to change their e-mail address; waiting for its code`, data: {} });
        return next;
      }),
    );
  }

  /** Completes an e-mail change with the code that was mailed to the new address. */
  async verifyEmail(userId: string, code: string): Promise<User> {
    const now = this.store.clock.now();
    const v = await this.store.read.identity.emailVerification(userId);
    const usable = v !== undefined && Date.parse(v.expires_at) > now.getTime() && v.attempts < EMAIL_CODE_MAX_ATTEMPTS;
    if (!v || !usable || !sameHash(v.code_hash, sha256(code.trim().toUpperCase()))) {
      if (v && usable) await this.store.read.identity.countEmailVerificationAttempt(userId);
      throw new FleetyardError('FY_VERIFICATION_FAILED', usable ? 'the code is not right' : 'no e-mail change is waiting for a code (none asked for, expired, or too many wrong codes): ask again', { field: 'code' });
    }
    return retryOnVersionConflict(() =>
      this.store.transaction(async (tx) => {
        const u = await tx.users.require(userId);
        const next = await tx.users.update({ ...u, spec: { ...u.spec, email: v.email, pendingEmail: null } }, now, true);
        await tx.identity.deleteEmailVerification(userId);
        await tx.emit({ type: 'user.email-verified', kind: 'user', objectId: userId, message: `user ${u.name} verified their new e-mail address`, data: {} });
        return next;
      }),
    );
  }

  /** Creates a token; the returned string is the only time the secret exists outside a hash. */
  async createToken(userId: string, name: string, expiresAt: Date | null = null): Promise<{ id: string; token: string; createdAt: string; expiresAt: string | null }> {
    const id = this.store.ids.next();
    const secret = newSecret();
    const createdAt = this.store.clock.now().toISOString();
    const expires = expiresAt?.toISOString() ?? null;
    await this.store.transaction(async (tx) => {
      await tx.users.require(userId);
      await tx.identity.insertToken({ id, user_id: userId, name, secret_hash: sha256(secret), created_at: createdAt, last_used_at: null, revoked_at: null, expires_at: expires });
      await tx.emit({ type: 'user.token-created', kind: 'user', objectId: userId, message: `API token ${name} created`, data: { tokenId: id } });
    });
    return { id, token: formatToken(id, secret), createdAt, expiresAt: expires };
  }

  async authenticateToken(token: string): Promise<Principal | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const row = await this.store.read.identity.token(parsed.tokenId);
    if (!row || row.revoked_at || !sameHash(row.secret_hash, sha256(parsed.secret))) return undefined;
    if (row.expires_at !== null && Date.parse(row.expires_at) <= this.store.clock.now().getTime()) return undefined;
    const user = await this.store.read.users.get(row.user_id);
    if (!user || user.spec.disabled) return undefined;
    await this.store.read.identity.touchToken(row.id, this.store.clock.now());
    return principalOf(user, 'token');
  }

  /**
   * Checks a password; on success opens a session. Same answer for "no such user" and "wrong
   * password". An account (existing or not) with too many recent failures is refused before its
   * password is even checked: FY_RATE_LIMITED, whatever address the attempts come from.
   */
  async login(name: string, password: string): Promise<{ sessionId: string; csrfToken: string; principal: Principal } | undefined> {
    if (!this.throttle.allows(name)) {
      throw new FleetyardError('FY_RATE_LIMITED', `too many failed logins for this account; wait ${Math.round(this.throttle.windowMs / 60_000)} minutes`);
    }
    const user = await this.store.read.users.getByName(name);
    const ok = await verifyPassword(password, user ? await this.store.read.identity.passwordHash(user.id) : null);
    if (!user || !ok || user.spec.disabled) {
      this.throttle.failed(name);
      return undefined;
    }
    this.throttle.succeeded(name);
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
