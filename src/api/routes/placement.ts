import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { virtualizationSchema } from '../../domain/meta.ts';
import { placementPolicySchema } from '../../domain/placement-constraints.ts';
import { PlacementPlanner } from '../../reconcile/placement-planner.ts';
import { FILTERS, type Explanation } from '../../scheduler/pipeline.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, requireId } from '../schemas.ts';

const verdictView = z.object({
  hostId: z.string(),
  host: z.string(),
  rejectedBy: z.enum(FILTERS).nullable().meta({ description: 'The filter that rejected the host, in pipeline order; null: a candidate' }),
  reason: z.string().nullable(),
  score: z.number().nullable().meta({ description: "The candidate's score under the policy, higher is better" }),
  virtualization: virtualizationSchema.nullable(),
});

const explanationView = z.object({
  policy: placementPolicySchema,
  fits: z.boolean(),
  reason: z.string().nullable().meta({ description: 'Why nothing fits, in one sentence (what a pending appliance or a refused request says)' }),
  hostIds: z.array(z.string()).meta({ description: 'Where it would go: one host, or one per unit of a request' }),
  candidates: z.number().int(),
  rejected: z.record(z.string(), z.number().int()).meta({ description: 'How many hosts each filter rejected' }),
  hosts: z.array(verdictView).meta({ description: 'Each host’s verdict, candidates best first, then the rejected; at most `limit`' }),
  total: z.number().int(),
});

const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function view(e: Explanation, plan: { fits: true; hostIds: string[] } | { fits: false; reason: string }, limit: number) {
  const rejected: Record<string, number> = {};
  for (const h of e.hosts) if (h.rejectedBy !== null) rejected[h.rejectedBy] = (rejected[h.rejectedBy] ?? 0) + 1;
  return {
    policy: e.policy,
    fits: plan.fits,
    reason: plan.fits ? null : plan.reason,
    hostIds: plan.fits ? plan.hostIds : [],
    candidates: e.hosts.filter((h) => h.rejectedBy === null).length,
    rejected,
    hosts: e.hosts.slice(0, limit),
    total: e.hosts.length,
  };
}

/**
 * Why the scheduler decides as it does (admin): what it would decide now for an appliance or a
 * cloud request, host by host, deciding nothing. A pending appliance's message and a refused
 * request's reason are the one-sentence summaries of the same explanation. Admin only: it shows
 * every host of the fleet and its free capacity.
 */
export const placementRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;
  const planner = new PlacementPlanner(store, ctx.ha.cpuAllocationRatio, ctx.placementPolicy);

  app.get('/appliances/:id/placement', {
    schema: {
      tags: ['appliances'],
      summary: 'Explain where the scheduler would place an appliance now, host by host (admin)',
      params: idParams,
      querystring: limitQuery,
      response: { 200: explanationView, ...errorResponses },
    },
  }, async (req) => {
    const a = await store.read.appliances.require(requireId(req.params.id));
    const plan = await planner.explain(a);
    return view(plan.explanation, plan.fits ? { fits: true, hostIds: [plan.hostId] } : plan, req.query.limit);
  });

  app.get('/cloud/requests/:id/placement', {
    schema: {
      tags: ['requests'],
      summary: "Explain where approving a cloud request would reserve its units now, host by host (admin)",
      params: idParams,
      querystring: limitQuery,
      response: { 200: explanationView, ...errorResponses },
    },
  }, async (req) => {
    const r = await store.read.requests.require(requireId(req.params.id));
    const product = await store.read.products.get(r.spec.productId);
    const size = product?.spec.sizes.find((s) => s.name === r.spec.size);
    if (!product || !size) throw new FleetyardError('FY_VALIDATION', `request ${r.name} names a product or size that no longer exists`, { field: 'size' });
    const plan = await ctx.cloud.capacity.explain(r, size, product.spec.placementPolicy ?? ctx.placementPolicy);
    return view(plan.explanation, plan, req.query.limit);
  });
};
