import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses } from '../schemas.ts';

const hostPlanView = z.object({
  hostId: z.string(),
  host: z.string(),
  state: z.enum(['awake', 'powering-off', 'off', 'powering-on', 'not-live']),
  action: z.enum(['off', 'on', 'take-back', 'none']).meta({ description: 'What the power manager does with the host at its next pass' }),
  reason: z.string(),
  since: z.string().nullable().meta({ description: 'When the host entered its power state (null: never acted on)' }),
  bootMs: z.number().int().nullable().meta({ description: 'Its boot time, measured the last time it was woken' }),
  offHours: z.number().meta({ description: 'Hours it has spent powered off by the power manager' }),
  failures: z.number().int(),
  nextTryAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

const powerPlanView = z.object({
  enabled: z.boolean().meta({ description: 'Whether the power manager acts (FLEETYARD_POWER_MANAGEMENT=on); the plan is shown either way' }),
  settings: z.object({ idleMs: z.number(), spareHosts: z.number().int(), leadMs: z.number(), defaultBootMs: z.number(), bootTimeoutMs: z.number() }),
  at: z.string(),
  hosts: z.array(hostPlanView),
  hostHoursOff: z.number().meta({ description: 'Host-hours spent powered off in all: the energy the power manager saved' }),
});

/** Green IT's plan (admin): every host's power verdict and why, and the host-hours saved. */
export const powerRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);
  app.get('/power/plan', {
    schema: {
      tags: ['hosts'],
      summary: 'The power plan: which hosts sleep, which wake, why, and the host-hours saved (admin)',
      response: { 200: powerPlanView, ...errorResponses },
    },
  }, async () => ctx.power.manager.report(ctx.power.enabled));
};
