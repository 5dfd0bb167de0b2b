import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appliancePhaseSchema } from '../../domain/appliance.ts';
import { requestStateSchema } from '../../domain/cloud-request.ts';
import { virtualizationSchema } from '../../domain/meta.ts';
import { formatCcu } from '../../domain/pricing.ts';
import { capacitySchema, powerStateSchema, resourceStateSchema } from '../../domain/resource.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { dashboardFigures } from '../dashboard-figures.ts';
import { errorResponses } from '../schemas.ts';

const dashboardQuery = z.strictObject({
  hours: z.coerce.number().int().min(1).max(168).optional().meta({ description: 'How many hours of CCU burn to return, the current one last (default 24)' }),
});

const countsOf = <T extends z.ZodEnum>(keys: T) => z.record(keys, z.number().int());

const machineCounts = {
  total: z.number().int(),
  byState: countsOf(resourceStateSchema),
  byPower: countsOf(powerStateSchema),
};

const virtualizationCapacitySchema = z.object({
  virtualization: virtualizationSchema,
  hosts: z.number().int().meta({ description: 'Hosts offering it (a host offering two types counts for both)' }),
  liveHosts: z.number().int(),
  units: z.number().int().meta({ description: 'Appliances placed on it: slots, or physical servers taken' }),
  freeUnits: z.number().int().nullable().meta({ description: 'physical: idle servers with a BMC on live boot hosts; null for slot types' }),
  total: capacitySchema.meta({ description: 'What the hosts offering it have, CPUs times the allocation ratio (physical: its servers)' }),
  used: capacitySchema,
  reserved: capacitySchema.meta({ description: 'Promised now to cloud requests on those hosts' }),
  free: capacitySchema.meta({ description: 'What a new appliance could still get on live hosts, reservations held back' }),
});

const dashboardSchema = z
  .object({
    generatedAt: z.string(),
    capacity: z.array(virtualizationCapacitySchema),
    hosts: z.object({ ...machineCounts, live: z.number().int().meta({ description: 'Hosts whose lease holds (heartbeat within 30 s)' }) }),
    servers: z.object({ ...machineCounts, inUse: z.number().int() }).meta({ description: 'Physical servers booted by the hosts' }),
    appliances: z.object({ total: z.number().int(), byPhase: countsOf(appliancePhaseSchema) }),
    requests: z.object({ total: z.number().int(), byState: countsOf(requestStateSchema) }),
    ha: z
      .object({
        tolerates: z.boolean().meta({ description: 'Every HA appliance could restart elsewhere whichever single host failed' }),
        haAppliances: z.number().int(),
        worst: z
          .object({ host: z.object({ id: z.string(), name: z.string() }), unplaced: z.number().int() })
          .nullable()
          .meta({ description: 'The host whose failure leaves the most HA appliances without a place; null when none would' }),
        checkedAt: z.string().meta({ description: 'When the continuous N+1 check last computed this (it follows every change, debounced)' }),
      })
      .meta({ description: 'N+1: see GET /ha/plan for every scenario' }),
    ccu: z.object({
      burnMilliPerHour: z.number().int().meta({ description: 'What every open meter together costs per hour now' }),
      burnCcuPerHour: z.string(),
      hours: z.number().int(),
      debitedMilli: z.number().int().meta({ description: 'Debited over the whole series' }),
      series: z
        .array(z.object({ hour: z.string().meta({ description: 'Start of the UTC hour' }), debitedMilli: z.number().int() }))
        .meta({ description: 'CCU debited for usage that began in each hour, oldest first, the current hour last' }),
    }),
  })
  .meta({ id: 'Dashboard' });

/**
 * The admin console's dashboard: the data center's figures in one answer, from aggregate queries
 * whose number does not grow with the installation (see dashboard-figures.ts).
 */
export const dashboardRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);

  app.get('/dashboard', {
    schema: {
      tags: ['dashboard'],
      summary: 'The data center at a glance: capacity by virtualization, hosts, appliances, requests and CCU burn (admin)',
      querystring: dashboardQuery,
      response: { 200: dashboardSchema, ...errorResponses },
    },
  }, async (req) => {
    const [f, tolerance] = await Promise.all([dashboardFigures(ctx.store, ctx.cloud.capacity.cpuAllocationRatio, req.query.hours ?? 24), ctx.ha.check.current()]);
    const worst = tolerance.worst && tolerance.worst.unplaced > 0 ? { host: tolerance.worst.failed[0] as { id: string; name: string }, unplaced: tolerance.worst.unplaced } : null;
    const ha = { tolerates: tolerance.tolerates, haAppliances: tolerance.haAppliances, worst, checkedAt: tolerance.checkedAt };
    return { ...f, ha, ccu: { ...f.ccu, burnCcuPerHour: formatCcu(f.ccu.burnMilliPerHour) } };
  });
};
