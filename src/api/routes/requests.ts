import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod as Plugin } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cloudRequestSchema,
  requestStateSchema,
  TERMINAL_STATES,
  type CloudRequest,
  type RequestState,
} from '../../domain/cloud-request.ts';
import { applianceSchema, type Appliance } from '../../domain/appliance.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { LIVE } from '../../cloud/request-orders.ts';
import { virtualizationSchema } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import type { User } from '../../domain/user.ts';
import { principalOf, requireAdmin, requireOwned } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { perUser } from '../rate-limits.ts';
import { mutateSpec } from '../mutate.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

const isoTime = z.iso.datetime({ offset: true });
const orderBody = z.strictObject({
  productId: z.string().max(100),
  size: z.string().min(1).max(63),
  quantity: z.number().int().min(1).max(64).optional(),
  startAt: isoTime,
  endAt: isoTime,
  virtualization: virtualizationSchema.optional(),
  ha: z.boolean().optional(),
});
const submitBody = orderBody
  .extend({ ownerId: z.string().max(100).optional().meta({ description: 'Admins may order for a user' }) })
  .meta({
    examples: [
      {
        productId: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b',
        size: 'small',
        quantity: 1,
        startAt: '2026-12-01T09:00:00Z',
        endAt: '2026-12-01T17:00:00Z',
      },
    ],
  });
const commentBody = z.strictObject({ comment: z.string().max(2000).optional() });
const extendBody = z.strictObject({ endAt: isoTime }).meta({ examples: [{ endAt: '2026-12-01T20:00:00Z' }] });
const headroomSchema = z.object({
  appliances: z.number().nullable(),
  cpu: z.number().nullable(),
  memoryMiB: z.number().nullable(),
  diskMiB: z.number().nullable(),
  ccuPerMonth: z.number().nullable(),
});
const quoteSchema = z.object({
  ccuPerHour: z.number(),
  totalCcu: z.number(),
  currency: z.object({ code: z.string(), amount: z.number() }),
  components: z.array(z.object({ component: z.string(), quantity: z.number(), ccuPerHour: z.number() })),
  quota: z.object({ user: headroomSchema, group: headroomSchema.nullable() }),
  fits: z.boolean(),
  breach: z.string().nullable(),
});

const requestListQuery = listQuery(['state', 'ownerId', 'owner']).extend({
  state: requestStateSchema.optional(),
  owner: nameSchema.optional().meta({ description: "The owner's user name (another way to say ownerId)" }),
});
const requestCountsSchema = z.object({
  byState: z.record(requestStateSchema, z.number().int()).meta({ description: 'Every state, 0 when none is in it' }),
  total: z.number().int(),
});

const HOUR_MS = 3_600_000;

/**
 * Cloud requests: a user orders a product for a time window; the request reconciler does the
 * rest. The quote answers "what will it cost, and does it fit my quota" before submitting.
 */
export const requestRoutes = (ctx: ApiContext): Plugin => async (app) => {
  const { store } = ctx;
  const limited = perUser(ctx.userRateLimit);
  const tags = ['cloud requests'];

  const owned = async (req: FastifyRequest, id: string) => {
    const r = await store.read.requests.require(id);
    return requireOwned(req, r, r.spec.ownerId, 'request');
  };

  /** Checks an order against its product and prices it (see cloud/request-orders.ts). */
  const price = (user: User, b: z.infer<typeof orderBody>) => ctx.cloud.orders.price(user, { ...b, productId: requireId(b.productId) });

  app.post('/cloud/quote', {
    config: limited,
    schema: { tags, summary: 'Price an order and show the quota headroom, without submitting it', body: orderBody, response: { 200: quoteSchema, ...errorResponses } },
  }, async (req) => {
    const user = await store.read.users.require(principalOf(req).userId);
    const p = await price(user, req.body);
    return {
      ccuPerHour: p.quote.ccuPerHourMilli / 1000,
      totalCcu: Math.round(p.totalCcu * 1000) / 1000,
      currency: { code: p.quote.currency.code, amount: Math.round((p.totalCcu / p.quote.currency.ccuPerUnit) * 100) / 100 },
      components: p.quote.components.map((c) => ({ component: c.component, quantity: c.quantity, ccuPerHour: c.ccuPerHourMilli / 1000 })),
      quota: { user: p.quota.user, group: p.quota.group },
      fits: p.quota.breach === null,
      breach: p.quota.breach,
    };
  });

  app.post('/cloud/requests', {
    config: limited,
    schema: { tags, summary: 'Submit a cloud request', body: submitBody, response: { 201: cloudRequestSchema, ...errorResponses } },
  }, async (req, reply) => {
    const caller = principalOf(req);
    const { ownerId: forUser, ...order } = req.body;
    if (forUser && caller.role !== 'admin') throw new FleetyardError('FY_FORBIDDEN', 'only an admin orders for another user');
    const owner = await store.read.users.require(forUser ? requireId(forUser) : caller.userId);
    const p = await price(owner, order);
    if (p.quota.breach) throw new FleetyardError('FY_QUOTA_EXCEEDED', p.quota.breach, { breach: p.quota.breach });
    const r = await store.transaction((tx) => ctx.cloud.orders.submit(tx, owner, { ...order, productId: p.product.id }, p));
    return reply.status(201).send(r);
  });

  app.get('/cloud/requests', {
    schema: { tags, summary: 'List cloud requests (users see their own)', querystring: requestListQuery, response: { 200: pageOf(cloudRequestSchema), ...errorResponses } },
  }, async (req) => {
    const p = principalOf(req);
    const { owner, ...rest } = req.query;
    const q = splitQuery(rest);
    // A cloud user's list is their own whatever ownerId says.
    if (p.role !== 'admin') q.filters.ownerId = p.userId;
    if (owner !== undefined) {
      // A name that is nobody's, or not the owner already asked for, matches no request.
      const named = await store.read.users.getByName(owner);
      if (!named || (q.filters.ownerId !== undefined && q.filters.ownerId !== named.id)) return { items: [], nextCursor: null };
      q.filters.ownerId = named.id;
    }
    return store.read.requests.list(q);
  });

  app.get('/cloud/requests/counts', {
    schema: { tags, summary: 'How many requests are in each state (users: their own); `new` ones wait for a decision', response: { 200: requestCountsSchema, ...errorResponses } },
  }, async (req) => {
    const p = principalOf(req);
    const counts = await store.read.requests.countBy('state', p.role === 'admin' ? {} : { ownerId: p.userId });
    const byState = Object.fromEntries(requestStateSchema.options.map((s) => [s, counts.get(s) ?? 0])) as Record<RequestState, number>;
    return { byState, total: [...counts.values()].reduce((a, b) => a + b, 0) };
  });

  app.get('/cloud/requests/:id', {
    schema: { tags, summary: 'Show a cloud request', params: idParams, response: { 200: cloudRequestSchema, ...errorResponses } },
  }, async (req) => owned(req, requireId(req.params.id)));

  app.get('/cloud/requests/:id/appliances', {
    schema: {
      tags,
      summary: "A request's appliances as they are now (those already made and not yet gone), with their address and login user",
      params: idParams,
      response: { 200: z.object({ items: z.array(applianceSchema).max(64) }), ...errorResponses },
    },
  }, async (req) => {
    const r = await owned(req, requireId(req.params.id));
    const items: Appliance[] = [];
    for (const id of r.status.applianceIds.slice(0, 64)) {
      const a = await store.read.appliances.get(id);
      if (a) items.push(a);
    }
    return { items };
  });

  /** A user or admin action: re-checked against the latest request and written as a spec change. */
  const change = (
    verb: 'approve' | 'deny' | 'pause' | 'resume' | 'cancel',
    summary: string,
    apply: (r: CloudRequest, req: FastifyRequest) => { next: CloudRequest; note: string } | null,
  ) => {
    app.post(`/cloud/requests/:id/${verb}`, {
      config: limited,
      schema: { tags, summary, params: idParams, body: commentBody, response: { 202: cloudRequestSchema, ...errorResponses } },
    }, async (req, reply) => {
      const r = await owned(req, requireId(req.params.id));
      const out = await mutateSpec(store, (tx) => tx.requests, r.id, (cur) => {
        const planned = apply(cur, req);
        return planned && { next: planned.next, event: { type: `request.${verb}-requested`, kind: 'request', objectId: r.id, ownerId: cur.spec.ownerId, message: planned.note, data: {} } };
      });
      return reply.status(202).send(out);
    });
  };

  const mustBe = (r: CloudRequest, states: ReadonlySet<RequestState>, what: string) => {
    if (!states.has(r.status.state)) throw new FleetyardError('FY_REQUEST_STATE', `cannot ${what} a request that is ${r.status.state}`, { state: r.status.state });
  };

  change('approve', 'Approve a new request (admin)', (r, req) => {
    const admin = requireAdmin(req);
    mustBe(r, new Set(['new']), 'approve');
    const comment = (req.body as { comment?: string }).comment ?? '';
    return { next: { ...r, spec: { ...r.spec, decision: { approved: true, by: admin.userId, comment, at: store.clock.now().toISOString() } } }, note: `approved by ${admin.name}` };
  });

  change('deny', 'Deny a new request (admin)', (r, req) => {
    const admin = requireAdmin(req);
    mustBe(r, new Set(['new']), 'deny');
    const comment = (req.body as { comment?: string }).comment ?? '';
    return { next: { ...r, spec: { ...r.spec, decision: { approved: false, by: admin.userId, comment, at: store.clock.now().toISOString() } } }, note: `denied by ${admin.name}` };
  });

  change('pause', 'Pause: release the resources, keep the clones', (r) => {
    mustBe(r, new Set(['active', 'provisioning']), 'pause');
    return r.spec.paused ? null : { next: { ...r, spec: { ...r.spec, paused: true } }, note: 'pause requested' };
  });

  change('resume', 'Resume a paused request', (r) => {
    mustBe(r, new Set(['paused', 'active', 'provisioning']), 'resume');
    return r.spec.paused ? { next: { ...r, spec: { ...r.spec, paused: false } }, note: 'resume requested' } : null;
  });

  change('cancel', 'Cancel: de-provision now and end the request', (r) => {
    mustBe(r, LIVE, 'cancel');
    return r.spec.cancelled ? null : { next: { ...r, spec: { ...r.spec, cancelled: true } }, note: 'cancel requested' };
  });

  app.post('/cloud/requests/:id/extend', {
    config: limited,
    schema: { tags, summary: 'Move the end of the window (capacity is re-checked for the extension)', params: idParams, body: extendBody, response: { 202: cloudRequestSchema, ...errorResponses } },
  }, async (req, reply) => {
    const r = await owned(req, requireId(req.params.id));
    mustBe(r, LIVE, 'extend');
    if (TERMINAL_STATES.has(r.status.state)) throw new FleetyardError('FY_REQUEST_STATE');
    const endAt = new Date(req.body.endAt);
    if (endAt.getTime() <= Date.parse(r.spec.endAt)) throw new FleetyardError('FY_VALIDATION', 'an extension must move the end later');
    const owner = await store.read.users.require(r.spec.ownerId);
    const product = await store.read.products.require(r.spec.productId);
    const size = product.spec.sizes.find((s) => s.name === r.spec.size);
    if (!size) throw new FleetyardError('FY_VALIDATION', 'the size is no longer offered');
    const quote = await ctx.cloud.billing.quote(size, r.spec.virtualization, r.spec.ha, r.spec.quantity, product.spec.configGroups);
    const extraCcu = (quote.ccuPerHourMilli / 1000) * ((endAt.getTime() - Date.parse(r.spec.endAt)) / HOUR_MS);
    const now = store.clock.now();
    const next = await store.transaction(async (tx) => {
      await tx.cloud.bumpCapacityEpoch();
      const cur = await tx.requests.require(r.id);
      const q = await ctx.cloud.quotas.check(tx, owner, { size, quantity: 0, totalCcu: extraCcu }, now);
      if (q.breach) throw new FleetyardError('FY_QUOTA_EXCEEDED', q.breach, { breach: q.breach });
      if (cur.status.state !== 'new') await ctx.cloud.capacity.extend(tx, cur, endAt, now);
      const written = await tx.requests.update({ ...cur, spec: { ...cur.spec, endAt: endAt.toISOString() } }, now, true);
      await tx.emit({ type: 'request.extended', kind: 'request', objectId: r.id, ownerId: r.spec.ownerId, message: `request ${r.name} extended to ${endAt.toISOString()}`, data: {} });
      return written;
    });
    return reply.status(202).send(next);
  });
};
