import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventKindSchema, eventSchema, type FleetyardEvent } from '../../domain/event.ts';
import { FleetyardError } from '../../domain/errors.ts';
import type { EventFilter } from '../../store/event-repo.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, filterString } from '../schemas.ts';

const seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const filterQuery = {
  kind: eventKindSchema.optional(),
  objectId: filterString.max(100).optional(),
  type: filterString.max(100).optional(),
};
const listQuery = z.strictObject({ afterSeq: seq.optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), ...filterQuery });
const streamQuery = z.strictObject({ afterSeq: seq.optional(), ...filterQuery });

const KEEPALIVE_MS = 15_000;

/**
 * The event log, as a page (cursor = the last seq seen) and as a live server-sent event stream.
 * A stream resumes after `Last-Event-ID` (or `afterSeq`); each event's SSE id is its seq.
 */
export const eventRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;
  const tags = ['events'];

  app.get('/events', {
    schema: {
      tags,
      summary: 'List events in order',
      querystring: listQuery,
      response: { 200: z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const items = await store.read.events.list({ ...req.query, limit });
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? String(last.seq) : null };
  });

  app.get('/events/stream', {
    schema: {
      tags,
      summary: 'Live event stream (text/event-stream); resumes after Last-Event-ID',
      querystring: streamQuery,
      response: { 200: z.string().meta({ description: 'text/event-stream of events' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const header = req.headers['last-event-id'];
    let lastSeq = req.query.afterSeq ?? (await store.read.events.lastSeq());
    if (typeof header === 'string' && header.length > 0) {
      if (!/^\d{1,15}$/.test(header)) throw new FleetyardError('FY_VALIDATION', 'Last-Event-ID must be an event seq');
      lastSeq = Number(header);
    }
    const filter: EventFilter = { kind: req.query.kind, objectId: req.query.objectId, type: req.query.type };
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const send = (e: FleetyardEvent) => res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    let pumping = false;
    let again = false;
    let closed = false;
    const pump = async (): Promise<void> => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          for (;;) {
            const batch = await store.read.events.list({ ...filter, afterSeq: lastSeq, limit: 500 });
            for (const e of batch) send(e);
            const last = batch.at(-1);
            if (last) lastSeq = last.seq;
            if (batch.length < 500 || closed) break;
          }
        } while (again && !closed);
      } catch (e) {
        req.log.warn({ err: e }, 'event stream read failed');
      } finally {
        pumping = false;
      }
    };
    // pump() logs its own read failures; the catch is for anything else, so nothing escapes.
    const unsubscribe = ctx.events.subscribe(() => {
      pump().catch((e: unknown) => req.log.warn({ err: e }, 'event stream failed'));
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    res.on('close', () => {
      closed = true;
      unsubscribe();
      clearInterval(keepalive);
    });
    await pump();
  });
};
