import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { SESSION_TTL_MS } from '../../identity/identity-service.ts';
import { principalOf, SESSION_COOKIE } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses } from '../schemas.ts';

const loginBody = z.strictObject({ name: z.string().min(1).max(63), password: z.string().min(1).max(1024) });
const principalSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'user']),
  groupId: z.string().nullable(),
  via: z.enum(['token', 'session']),
});

/** Web sessions: log in with a password (rate limited), log out, and "who am I". */
export const authRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const tags = ['auth'];

  app.post('/auth/login', {
    config: {
      public: true,
      rateLimit: { max: ctx.loginRateLimit, timeWindow: 60_000, keyGenerator: (req) => `${req.ip}` },
    },
    schema: {
      tags,
      summary: 'Log in: sets the session cookie and returns the CSRF token to send with changes',
      body: loginBody,
      response: { 200: z.object({ principal: principalSchema, csrfToken: z.string() }), 401: errorResponses[400], 429: errorResponses[400], ...errorResponses },
    },
  }, async (req, reply) => {
    const result = await ctx.identity.login(req.body.name, req.body.password);
    if (!result) throw new FleetyardError('FY_LOGIN_FAILED');
    void reply.setCookie(SESSION_COOKIE, result.sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      maxAge: SESSION_TTL_MS / 1000,
    });
    return { principal: result.principal, csrfToken: result.csrfToken };
  });

  app.post('/auth/logout', {
    schema: { tags, summary: 'End the web session', response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    const sessionId = req.cookies[SESSION_COOKIE];
    if (sessionId) await ctx.identity.logout(sessionId);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  // A web page that reloads has its cookie but not the CSRF token it got at login; this gives it
  // back. Only a script on this origin can read the answer (no CORS), so a foreign page cannot.
  app.get('/auth/me', {
    schema: {
      tags,
      summary: 'Who the caller is; for a web session also its CSRF token',
      response: { 200: principalSchema.extend({ csrfToken: z.string().nullable() }), ...errorResponses },
    },
  }, async (req) => ({ ...principalOf(req), csrfToken: req.sessionCsrfToken ?? null }));
};
