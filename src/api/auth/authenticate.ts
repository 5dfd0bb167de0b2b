import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FleetyardError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/user.ts';
import type { IdentityService } from '../../identity/identity-service.ts';

export const SESSION_COOKIE = 'fy_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The CSRF token of the caller's web session; none for a bearer token. */
    sessionCsrfToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without being logged in (the login route itself). */
    public?: boolean;
  }
}

/**
 * Authentication for every /api/v1 route: a bearer token (scripts, the CLI) or the session cookie
 * of the web UI. A cookie alone never authorises a change: unsafe methods must also carry the
 * session's CSRF token in `x-csrf-token`, which a foreign page cannot read.
 */
export function registerAuthentication(app: FastifyInstance, identity: IdentityService): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionCsrfToken', undefined);
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config.public) return;
    const caller = await authenticate(req, identity);
    req.principal = caller.principal;
    req.sessionCsrfToken = caller.csrfToken;
  });
}

/** The caller of a request: its bearer token's or its web session's user (CSRF checked on changes). */
export async function authenticate(req: FastifyRequest, identity: IdentityService): Promise<{ principal: Principal; csrfToken?: string }> {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const m = /^Bearer (\S{1,200})$/.exec(header);
    const principal = m ? await identity.authenticateToken(m[1] as string) : undefined;
    if (!principal) throw new FleetyardError('FY_UNAUTHENTICATED', 'the bearer token is not valid');
    return { principal };
  }
  const sessionId = req.cookies?.[SESSION_COOKIE];
  if (typeof sessionId === 'string' && /^[A-Za-z0-9_-]{43}$/.test(sessionId)) {
    const session = await identity.session(sessionId);
    if (session) {
      if (UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== session.csrfToken) throw new FleetyardError('FY_CSRF');
      return session;
    }
  }
  throw new FleetyardError('FY_UNAUTHENTICATED');
}

/** The caller, for routes behind authentication (always set there). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new FleetyardError('FY_UNAUTHENTICATED');
  return req.principal;
}

export function requireAdmin(req: FastifyRequest): Principal {
  const p = principalOf(req);
  if (p.role !== 'admin') throw new FleetyardError('FY_FORBIDDEN', 'this needs the admin role');
  return p;
}

/** A hook for a scope of data-center routes: the admin role only (an error answers 403). */
export async function adminOnly(req: FastifyRequest): Promise<void> {
  requireAdmin(req);
}

/**
 * Owned objects: an admin sees all; a user sees their own, and anything else looks absent (404,
 * not 403, so IDs of other users' objects cannot be probed).
 */
export function requireOwned<T extends { id: string }>(req: FastifyRequest, obj: T, ownerId: string | null, kind: string): T {
  const p = principalOf(req);
  if (p.role !== 'admin' && ownerId !== p.userId) {
    throw new FleetyardError('FY_NOT_FOUND', `${kind} ${obj.id} does not exist`, { kind, id: obj.id });
  }
  return obj;
}
