import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_JOIN_TOKEN_TTL_MS, JOIN_TOKEN_STATES, MAX_JOIN_TOKEN_TTL_MS } from '../../identity/join-tokens.ts';
import { adminOnly, principalOf } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, filterString, idParams, pageOf, paginationQuery, requireId } from '../schemas.ts';

const joinTokenSchema = z.object({
  id: z.string(),
  note: z.string(),
  hostId: z.string().nullable().meta({ description: 'The host this token re-enrols; null: it enrols a new host' }),
  state: z.enum(JOIN_TOKEN_STATES),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  usedByHostId: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const listQuery = z.strictObject({
  ...paginationQuery,
  state: z.enum(JOIN_TOKEN_STATES).optional().meta({ description: 'Only tokens in this state now (pending: can still enrol a host)' }),
});

const createBody = z.strictObject({
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(MAX_JOIN_TOKEN_TTL_MS / 1000)
    .optional()
    .meta({ description: `How long the token can be used (default ${DEFAULT_JOIN_TOKEN_TTL_MS / 1000} s, at most 7 days)` }),
  hostId: z.string().max(100).optional().meta({ description: 'Re-enrol this host (replacing its keys) instead of enrolling a new one' }),
  note: filterString.optional().meta({ description: 'What the token is for, e.g. "rack 4, node 12"' }),
});

/**
 * Join tokens (admin): the only way a machine becomes a host on the bus. A token is shown once,
 * in the answer that creates it; it enrols one agent, once, before it expires.
 */
export const joinTokenRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);

  app.post('/hosts/join-tokens', {
    schema: {
      tags: ['hosts'],
      summary: 'Create a single-use join token for `fleetyard agent --join-token` (shown in this answer only)',
      body: createBody,
      response: { 201: joinTokenSchema.extend({ token: z.string() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const created = await ctx.joinTokens.create({
      ttlMs: b.ttlSeconds === undefined ? undefined : b.ttlSeconds * 1000,
      hostId: b.hostId === undefined ? null : requireId(b.hostId),
      note: b.note ?? '',
      createdBy: principalOf(req).userId,
    });
    return reply.status(201).send(created);
  });

  app.get('/hosts/join-tokens', {
    schema: { tags: ['hosts'], summary: 'List join tokens, newest first (secrets are never shown again)', querystring: listQuery, response: { 200: pageOf(joinTokenSchema), ...errorResponses } },
  }, async (req) => ctx.joinTokens.list(req.query));

  app.delete('/hosts/join-tokens/:id', {
    schema: { tags: ['hosts'], summary: 'Revoke a join token that was not used yet', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    await ctx.joinTokens.revoke(requireId(req.params.id));
    return reply.status(204).send(null);
  });
};
