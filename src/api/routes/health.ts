import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import type { ApiContext } from '../context.ts';

/** Liveness and Prometheus metrics, outside /api/v1. */
export const healthRoutes = (ctx: ApiContext, registry: Registry): FastifyPluginAsyncZod => async (app) => {
  app.get('/healthz', {
    schema: { tags: ['health'], summary: 'Health check', response: { 200: z.object({ status: z.literal('ok'), database: z.string() }) } },
  }, async () => {
    await ctx.store.read.events.lastSeq();
    return { status: 'ok' as const, database: ctx.store.dialect };
  });

  app.get('/metrics', {
    schema: { tags: ['health'], summary: 'Prometheus metrics', response: { 200: z.string() } },
  }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
};
