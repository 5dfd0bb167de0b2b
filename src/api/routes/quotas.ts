import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { quotaLimitsSchema, UNLIMITED } from '../../domain/quota.ts';
import { principalOf, requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, requireId } from '../schemas.ts';

const subjectParams = z.strictObject({ kind: z.enum(['users', 'groups']), id: z.string().max(100) });
const quotaSchema = z.object({ subject: z.enum(['user', 'group']), id: z.string(), limits: quotaLimitsSchema });
const usageSchema = z.object({
  appliances: z.number(),
  cpu: z.number(),
  memoryMiB: z.number(),
  diskMiB: z.number(),
  ccuPerMonth: z.number().meta({ description: "CCU spent this month (a group: its members')" }),
}).meta({ description: 'What the user (or the group\'s members) hold or were promised now, as the quota counts it' });
const quotaView = quotaSchema.extend({ used: usageSchema });

/** Quotas per user and per group (null = unlimited). Admins set them; a user reads their own. */
export const quotaRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const tags = ['quotas'];

  app.get('/quotas/:kind/:id', {
    schema: { tags, summary: 'Show the quota of a user or group and what they use now', params: subjectParams, response: { 200: quotaView, ...errorResponses } },
  }, async (req) => {
    const id = requireId(req.params.id);
    const p = principalOf(req);
    const subject = req.params.kind === 'users' ? 'user' : 'group';
    if (p.role !== 'admin' && !(subject === 'user' && id === p.userId) && !(subject === 'group' && id === p.groupId)) {
      throw new FleetyardError('FY_NOT_FOUND', `${subject} ${id} does not exist`);
    }
    if (subject === 'user') await store.read.users.require(id);
    else await store.read.groups.require(id);
    const used = await ctx.cloud.quotas.used(store.read, subject, id, store.clock.now());
    return { subject, id, limits: (await store.read.cloud.quota(subject, id)) ?? UNLIMITED, used } as const;
  });

  app.put('/quotas/:kind/:id', {
    schema: { tags, summary: 'Set the quota of a user or group (admin)', params: subjectParams, body: quotaLimitsSchema.partial().strict(), response: { 200: quotaSchema, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    const id = requireId(req.params.id);
    const subject = req.params.kind === 'users' ? 'user' : 'group';
    const limits = { ...UNLIMITED, ...req.body };
    await store.transaction(async (tx) => {
      if (subject === 'user') await tx.users.require(id);
      else await tx.groups.require(id);
      await tx.cloud.setQuota(subject, id, limits, store.clock.now());
      // A user's quota is theirs to see; a group's has no one owner.
      await tx.emit({ type: 'quota.set', kind: subject, objectId: id, ownerId: subject === 'user' ? id : null, message: `quota of ${subject} ${id} set`, data: { limits } });
    });
    return { subject, id, limits } as const;
  });
};
