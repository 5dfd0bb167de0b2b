import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BillingService } from '../../billing/billing-service.ts';
import type { ExplainedEntry } from '../../billing/billing-repo.ts';
import { MAX_USAGE_POINTS } from '../../billing/usage-series.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { ccuAmount, ccuToMilli, formatCcu, priceComponentSchema, priceListSchema } from '../../domain/pricing.ts';
import { principalOf, requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, filterString, pageOf, paginationQuery, requireId } from '../schemas.ts';

const tags = ['ccu'];
const ccuText = z.string().meta({ description: 'CCU as an exact decimal with three places, e.g. "12.345"' });
const userQuery = { userId: z.string().max(100).optional().meta({ description: 'Admin only: whose figures; yourself when absent' }) };
const printable = z.string().regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

const storedPriceListSchema = z.object({
  version: z.number().int().meta({ description: '0 is the built-in default' }),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  priceList: priceListSchema,
});

const accountSchema = z.object({
  userId: z.string(),
  balanceMilli: z.number().int().meta({ description: 'Posted balance in milli-CCU (the ledger sum)' }),
  balanceCcu: ccuText,
  currency: z.string().meta({ description: 'ISO 4217 code of the price list' }),
  amount: z.string().meta({ description: 'The balance in that currency, in its minor unit' }),
  unpostedMilli: z.number().int().meta({ description: 'Run up by open meters since the last posting; debited at the next' }),
  burnMilliPerHour: z.number().int(),
  burnCcuPerHour: ccuText,
  lastsUntil: z.string().nullable().meta({ description: 'When the credit runs out at the current burn; null if nothing burns' }),
  priceListVersion: z.number().int(),
});

const usageSchema = z.object({
  id: z.string(),
  meterId: z.string(),
  requestId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  seconds: z.number().int(),
  amountMilli: z.number().int(),
  ccuPerHourMilli: z.number().int(),
  components: z.array(priceComponentSchema),
});

const entrySchema = z.object({
  id: z.string(),
  kind: z.enum(['grant', 'debit', 'adjustment']),
  amountMilli: z.number().int(),
  amountCcu: ccuText,
  note: z.string(),
  createdAt: z.string(),
  usage: usageSchema.nullable().meta({ description: 'For a debit: the usage that explains it' }),
});

const usageQuery = z.strictObject({
  bucket: z.enum(['hour', 'day']).optional().meta({ description: 'Bucket size (default day)' }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Default: 30 days (or 48 hours) before `to`' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Default: now' }),
  ...userQuery,
});
const usageSeriesSchema = z.object({
  userId: z.string(),
  bucket: z.enum(['hour', 'day']),
  from: z.string(),
  to: z.string(),
  openingBalanceMilli: z.number().int().meta({ description: 'The posted balance before `from`' }),
  points: z.array(z.object({
    start: z.string(),
    debitMilli: z.number().int().meta({ description: 'Debited in the bucket (a positive number)' }),
    creditMilli: z.number().int().meta({ description: 'Grants and adjustments in the bucket (signed)' }),
    balanceMilli: z.number().int().meta({ description: 'The posted balance after the bucket' }),
  })).max(MAX_USAGE_POINTS),
});
const DEFAULT_USAGE_SPAN_MS = { hour: 48 * 3_600_000, day: 30 * 86_400_000 } as const;

const grantBody = z.strictObject({
  userId: z.string().max(100),
  ccu: ccuAmount(1_000_000_000).refine((n) => n > 0, 'must be positive'),
  note: printable.min(1).max(500),
  idempotencyKey: filterString.min(1).optional().meta({ description: 'Send the same key when retrying: the grant is made once' }),
});
const grantResult = z.object({ created: z.boolean(), entry: entrySchema, balanceMilli: z.number().int(), balanceCcu: ccuText });

const rebuildResult = z.object({
  users: z.array(z.object({ userId: z.string(), beforeMilli: z.number().int(), afterMilli: z.number().int() })),
  changed: z.number().int().meta({ description: 'Users whose cached balance was wrong' }),
  problems: z.array(
    z.object({ kind: z.string(), userId: z.string(), id: z.string(), expectedMilli: z.number().int().optional(), actualMilli: z.number().int().optional(), message: z.string() }),
  ).meta({ description: 'What the ledger check found after the rebuild; empty when every debit is explained' }),
});

const toEntryView = (e: ExplainedEntry): z.infer<typeof entrySchema> => ({
  id: e.id,
  kind: e.kind,
  amountMilli: e.amountMilli,
  amountCcu: formatCcu(e.amountMilli),
  note: e.note,
  createdAt: e.createdAt,
  usage: e.usage && {
    id: e.usage.id,
    meterId: e.usage.meterId,
    requestId: e.usage.requestId,
    periodStart: e.usage.periodStart,
    periodEnd: e.usage.periodEnd,
    seconds: e.usage.seconds,
    amountMilli: e.usage.amountMilli,
    ccuPerHourMilli: e.usage.components.reduce((s, c) => s + c.ccuPerHourMilli, 0),
    components: e.usage.components,
  },
});

/**
 * Credits in Cloud Computing Units: the price list, a user's balance, ledger and statement, and
 * the admin's grants and rebuild. A cloud user sees only their own figures: naming another user
 * answers 404, as if they did not exist. Amounts are exact integers of milli-CCU, with the CCU
 * decimal beside them for people.
 */
export const ccuRoutes = (ctx: ApiContext & { billing: BillingService }): FastifyPluginAsyncZod => async (app) => {
  const { store, billing } = ctx;

  /** The user whose figures are asked for: yourself, or anyone for an admin. */
  async function subject(req: FastifyRequest, userId: string | undefined): Promise<string> {
    const p = principalOf(req);
    if (userId === undefined) return p.userId;
    const id = requireId(userId);
    if (p.role !== 'admin') {
      if (id !== p.userId) throw new FleetyardError('FY_NOT_FOUND', `user ${id} does not exist`, { kind: 'user', id });
      return id;
    }
    await store.read.users.require(id);
    return id;
  }

  app.get('/ccu/price-list', {
    schema: { tags, summary: 'The current price list', response: { 200: storedPriceListSchema, ...errorResponses } },
  }, async (req) => {
    principalOf(req);
    return billing.priceList();
  });

  app.put('/ccu/price-list', {
    schema: { tags, summary: 'Set the price list (admin); running meters keep their price', body: priceListSchema, response: { 200: storedPriceListSchema, ...errorResponses } },
  }, async (req) => {
    const p = requireAdmin(req);
    return billing.setPriceList(req.body, p.userId);
  });

  app.get('/ccu/balance', {
    schema: { tags, summary: 'Your balance, burn rate and how long it lasts (admin: anyone\'s)', querystring: z.strictObject(userQuery), response: { 200: accountSchema, ...errorResponses } },
  }, async (req) => {
    const a = await billing.account(await subject(req, req.query.userId));
    return {
      userId: a.userId,
      balanceMilli: a.balanceMilli,
      balanceCcu: formatCcu(a.balanceMilli),
      currency: a.currency.code,
      amount: a.currency.amount,
      unpostedMilli: a.unpostedMilli,
      burnMilliPerHour: a.burnMilliPerHour,
      burnCcuPerHour: formatCcu(a.burnMilliPerHour),
      lastsUntil: a.lastsUntil?.toISOString() ?? null,
      priceListVersion: a.priceListVersion,
    };
  });

  app.get('/ccu/ledger', {
    schema: { tags, summary: 'Your ledger, newest first; each debit with the usage that explains it', querystring: z.strictObject({ ...paginationQuery, ...userQuery }), response: { 200: pageOf(entrySchema), ...errorResponses } },
  }, async (req) => {
    const page = await billing.ledger(await subject(req, req.query.userId), { cursor: req.query.cursor, limit: req.query.limit });
    return { items: page.items.map(toEntryView), nextCursor: page.nextCursor };
  });

  app.get('/ccu/statement.csv', {
    schema: {
      tags,
      summary: 'Your statement as CSV: ledger entries created in [from, to) with their usage',
      querystring: z.strictObject({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional(), ...userQuery }),
      response: { 200: z.string().meta({ description: 'text/csv' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const userId = await subject(req, req.query.userId);
    const from = req.query.from ? new Date(req.query.from) : null;
    const to = req.query.to ? new Date(req.query.to) : null;
    if (from && to && from > to) throw new FleetyardError('FY_VALIDATION', '`from` is after `to`');
    const csv = await billing.statement(userId, { from, to });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="ccu-statement.csv"').send(csv);
  });

  app.get('/ccu/usage', {
    schema: {
      tags,
      summary: `Your CCU per hour or day (debited, credited, balance after), at most ${MAX_USAGE_POINTS} buckets, for a chart`,
      querystring: usageQuery,
      response: { 200: usageSeriesSchema, ...errorResponses },
    },
  }, async (req) => {
    const userId = await subject(req, req.query.userId);
    const bucket = req.query.bucket ?? 'day';
    const to = req.query.to ? new Date(req.query.to) : store.clock.now();
    const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - DEFAULT_USAGE_SPAN_MS[bucket]);
    return billing.usage(userId, { from, to, bucket });
  });

  app.post('/ccu/grants', {
    schema: { tags, summary: 'Grant credit to a user (admin)', body: grantBody, response: { 200: grantResult, 201: grantResult, ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const b = req.body;
    const r = await billing.grant(requireId(b.userId), ccuToMilli(b.ccu), b.note, b.idempotencyKey ?? store.ids.next());
    const entry = toEntryView({ ...r.entry, usage: null });
    return reply.status(r.created ? 201 : 200).send({ created: r.created, entry, balanceMilli: r.balanceMilli, balanceCcu: formatCcu(r.balanceMilli) });
  });

  app.post('/ccu/rebuild', {
    schema: { tags, summary: 'Rebuild every balance from the ledger and check the ledger (admin)', response: { 200: rebuildResult, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    const users = await billing.rebuild();
    const problems = await billing.verify();
    return { users, changed: users.filter((u) => u.beforeMilli !== u.afterMilli).length, problems };
  });

};
