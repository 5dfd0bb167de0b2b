import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import { FleetyardError } from '../../domain/errors.ts';
import type { FastifyRequest } from 'fastify';
import { monitoringReader } from '../auth/metrics-reader.ts';
import type { ApiContext } from '../context.ts';
import { errorSchema } from '../schemas.ts';

/** /metrics: the metrics token or an admin (by bearer token only, as a Prometheus server sends it). */
async function requireMetricsReader(req: FastifyRequest, ctx: ApiContext): Promise<void> {
  if (typeof req.headers.authorization !== 'string' || !/^Bearer \S{1,200}$/.test(req.headers.authorization)) {
    throw new FleetyardError('FY_UNAUTHENTICATED', 'metrics need a bearer token: the metrics token or an admin API token');
  }
  const reader = await monitoringReader(req, ctx);
  if (reader.kind === 'user' && reader.principal.role !== 'admin') throw new FleetyardError('FY_FORBIDDEN', 'metrics are for admins and the metrics token');
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
    await requireMetricsReader(req, ctx);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
