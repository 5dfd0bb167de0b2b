import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { isHost } from '../../domain/host.ts';
import { virtualizationSchema } from '../../domain/meta.ts';
import { planFailure, toleratesAnySingleFailure, isRunningHa, type FleetSnapshot } from '../../ha/failover-plan.ts';
import { readFleetSnapshot } from '../../ha/fleet-snapshot.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, filterString } from '../schemas.ts';

const hostRef = z.object({ id: z.string(), name: z.string() });

const restartSchema = z.object({
  applianceId: z.string(),
  name: z.string(),
  from: hostRef,
  fits: z.boolean(),
  to: hostRef.nullable().meta({ description: 'Where it would restart; null when nowhere' }),
  virtualization: virtualizationSchema.nullable(),
  reason: z.string().nullable().meta({ description: "The scheduler's reason when it fits nowhere" }),
});

export const failureScenarioSchema = z
  .object({
    failed: z.array(hostRef),
    restarts: z.array(restartSchema).meta({ description: 'Every displaced HA appliance, in the order the failover places them (ascending id)' }),
    lost: z.array(z.object({ applianceId: z.string(), name: z.string(), from: hostRef })).meta({ description: 'Non-HA appliances of the failed hosts: marked lost, not restarted' }),
    unplaced: z.number().int(),
  })
  .meta({ id: 'FailureScenario' });

const haPlanSchema = z
  .object({
    generatedAt: z.string(),
    mode: z.enum(['given', 'each-host']).meta({ description: 'given: the hosts of `fail` fail together; each-host: one scenario per live host, that host alone' }),
    tolerates: z.boolean().meta({ description: 'Every HA appliance has a place in every scenario' }),
    haAppliances: z.number().int(),
    scenarios: z.array(failureScenarioSchema),
  })
  .meta({ id: 'HaPlan' });

const planQuery = z.strictObject({
  fail: z
    .union([filterString.min(1), z.array(filterString.min(1)).min(1).max(100)])
    .optional()
    .meta({ description: 'A host (name or id) that fails; repeat for several failing together. Without it: every single-host failure' }),
});

/** Hosts named by `fail`, by id or name; one that names no host is refused with its field. */
function resolveHosts(snapshot: FleetSnapshot, names: string[]): string[] {
  return [...new Set(names)].map((n) => {
    const host = snapshot.hosts.find((h) => isHost(h) && (h.id === n || h.name === n));
    if (!host) throw new FleetyardError('FY_VALIDATION', `fail: no host is named or has the id "${n.slice(0, 100)}"`, { field: 'fail', issues: [{ path: '/fail', message: `no host "${n.slice(0, 100)}"` }] });
    return host.id;
  });
}

/**
 * The N+1 plan (admin only): where each HA appliance would restart if hosts failed, computed by
 * the scheduler exactly as the failover places them (src/ha/failover-plan.ts).
 */
export const haRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);

  app.get('/ha/plan', {
    schema: {
      tags: ['ha'],
      summary: 'Where every HA appliance would restart if the hosts named failed (or, without fail, each host alone), and which could not, with the reason (admin)',
      querystring: planQuery,
      response: { 200: haPlanSchema, ...errorResponses },
    },
  }, async (req) => {
    const now = ctx.store.clock.now();
    const snapshot = await readFleetSnapshot(ctx.store.read, now, ctx.ha.cpuAllocationRatio);
    const fail = req.query.fail === undefined ? [] : [req.query.fail].flat();
    if (fail.length > 0) {
      const scenario = planFailure(snapshot, resolveHosts(snapshot, fail));
      return { generatedAt: now.toISOString(), mode: 'given' as const, tolerates: scenario.unplaced === 0, haAppliances: snapshot.appliances.filter(isRunningHa).length, scenarios: [scenario] };
    }
    const t = toleratesAnySingleFailure(snapshot);
    return { generatedAt: now.toISOString(), mode: 'each-host' as const, tolerates: t.tolerates, haAppliances: t.haAppliances, scenarios: t.scenarios };
  });
};
