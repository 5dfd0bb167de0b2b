import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventKindSchema, eventSchema, type FleetyardEvent } from '../../domain/event.ts';
import { eventTypeSchema } from '../../domain/event-types.ts';
import { FleetyardError } from '../../domain/errors.ts';
import type { EventFilter } from '../../store/event-repo.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, filterString } from '../schemas.ts';

const seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const filterQuery = {
  kind: eventKindSchema.optional(),
  objectId: filterString.max(100).optional(),
  type: eventTypeSchema.optional().meta({ description: 'Only events of this type (docs/events.md lists them)' }),
  ownerId: filterString.max(100).optional().meta({ description: "Only this user's events. Admins only: a cloud user always gets their own" }),
};
const listQuery = z.strictObject({ afterSeq: seq.optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), ...filterQuery });
const streamQuery = z.strictObject({ afterSeq: seq.optional(), ...filterQuery });

const KEEPALIVE_MS = 15_000;

type Filters = Pick<EventFilter, 'kind' | 'objectId' | 'type' | 'ownerId'>;

/**
 * What the caller may see: an admin every event (or one owner's, if asked); a cloud user only the
 * events they own, whatever `ownerId` says, as their lists of requests are narrowed.
 */
function scoped(req: FastifyRequest, q: Filters): Filters {
  const p = principalOf(req);
  return { kind: q.kind, objectId: q.objectId, type: q.type, ownerId: p.role === 'admin' ? q.ownerId : p.userId };
}

/** Whether a delivered event is one the stream would show; others need no read of the log. */
const shows = (f: Filters, e: FleetyardEvent): boolean =>
  (!f.ownerId || e.ownerId === f.ownerId) && (!f.kind || e.kind === f.kind) && (!f.objectId || e.objectId === f.objectId) && (!f.type || e.type === f.type);

/**
 * The event log, as a page (cursor = the last seq seen) and as a live server-sent event stream.
 * A stream resumes after `Last-Event-ID` (or `afterSeq`); each event's SSE id is its seq. A cloud
 * user gets the events they own (see src/domain/event-types.ts), an admin all of them; seqs are
 * the log's, so a user's seqs have gaps where other users' events are, and resuming after one
 * still skips and repeats nothing.
 */
export const eventRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const tags = ['events'];

  app.get('/events', {
    schema: {
      tags,
      summary: 'List events in order (cloud users see their own)',
      querystring: listQuery,
      response: { 200: z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const items = await store.read.events.list({ ...scoped(req, req.query), afterSeq: req.query.afterSeq, limit });
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? String(last.seq) : null };
  });

  app.get('/events/stream', {
    schema: {
      tags,
      summary: 'Live event stream (text/event-stream; cloud users get their own); resumes after Last-Event-ID',
      querystring: streamQuery,
      response: { 200: z.string().meta({ description: 'text/event-stream of events' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const filter = scoped(req, req.query);
    const header = req.headers['last-event-id'];
    let lastSeq = req.query.afterSeq ?? (await store.read.events.lastSeq());
    if (typeof header === 'string' && header.length > 0) {
      if (!/^\d{1,15}$/.test(header)) throw new FleetyardError('FY_VALIDATION', 'Last-Event-ID must be an event seq');
      lastSeq = Number(header);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A HEAD has no body to stream into: it gets the headers and holds nothing open.
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
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
    // A delivery only wakes the stream, which re-reads the log from its last seq. One it would not
    // show need not wake it (another user's, say): every event it shows comes with its own delivery.
    // pump() logs its own read failures; the catch is for anything else, so nothing escapes.
    const unsubscribe = ctx.events.subscribe((e) => {
      if (!shows(filter, e)) return;
      pump().catch((err: unknown) => req.log.warn({ err }, 'event stream failed'));
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
