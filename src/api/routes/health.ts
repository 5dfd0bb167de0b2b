import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import { FleetyardError } from '../../domain/errors.ts';
import { sameHash, sha256 } from '../../identity/secrets.ts';
import type { ApiContext } from '../context.ts';
import { errorSchema } from '../schemas.ts';

async function requireMetricsReader(header: string | undefined, ctx: ApiContext): Promise<void> {
  const m = typeof header === 'string' ? /^Bearer (\S{1,200})$/.exec(header) : null;
  if (!m) throw new FleetyardError('FY_UNAUTHENTICATED', 'metrics need a bearer token: the metrics token or an admin API token');
  const token = m[1] as string;
  if (ctx.metricsToken !== undefined && sameHash(sha256(token), sha256(ctx.metricsToken))) return;
  const principal = await ctx.identity.authenticateToken(token);
  if (!principal) throw new FleetyardError('FY_UNAUTHENTICATED', 'the bearer token is not valid');
  if (principal.role !== 'admin') throw new FleetyardError('FY_FORBIDDEN', 'metrics are for admins and the metrics token');
}

/** Liveness and Prometheus metrics, outside /api/v1. */
export const healthRoutes = (ctx: ApiContext, registry: Registry): FastifyPluginAsyncZod => async (app) => {
  app.get('/healthz', {
    schema: { tags: ['health'], summary: 'Health check', response: { 200: z.object({ status: z.literal('ok'), database: z.string() }) } },
  }, async () => {
    await ctx.store.read.events.lastSeq();
    return { status: 'ok' as const, database: ctx.store.dialect };
  });

  // A bearer token: the metrics token (a Prometheus server's `authorization` credentials) or an
  // admin's API token. Everything it shows is already aggregated (see metrics.ts).
  app.get('/metrics', {
    schema: { tags: ['health'], summary: 'Prometheus metrics (Authorization: Bearer <the metrics token or an admin API token>)', response: { 200: z.string(), 401: errorSchema, 403: errorSchema } },
  }, async (req, reply) => {
    await requireMetricsReader(req.headers.authorization, ctx);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
