import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIPv4 } from 'node:net';
import { resourceSchema } from '../../domain/resource.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, requireId } from '../schemas.ts';
import { requireHost } from './require-host.ts';

const wakeOnLanBody = z.strictObject({
  mac: z
    .string()
    .regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, 'a MAC is six hex pairs separated by colons')
    .transform((m) => m.toLowerCase())
    .meta({ description: 'The MAC of the network card armed for Wake-on-LAN' }),
  address: z.string().max(15).refine((a) => isIPv4(a), 'an IPv4 address').meta({ description: "Where the magic packet goes: the broadcast address of the host's network" }),
  port: z.number().int().min(1).max(65535).optional().meta({ description: 'UDP port (default 9)' }),
});

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

  app.put('/hosts/:id/wake-on-lan', {
    schema: {
      tags: ['hosts'],
      summary: 'Power a host without a BMC by Wake-on-LAN: woken by a magic packet, powered off by its agent (admin)',
      params: idParams,
      body: wakeOnLanBody,
      response: { 200: resourceSchema, ...errorResponses },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    const { store } = ctx;
    return store.transaction(async (tx) => {
      const host = await requireHost(tx, id);
      const wakeOnLan = { mac: req.body.mac, address: req.body.address, port: req.body.port ?? 9 };
      const written = await tx.resources.update({ ...host, spec: { ...host.spec, wakeOnLan } }, store.clock.now(), true);
      await tx.emit({
        type: 'host.wake-on-lan-set',
        kind: 'resource',
        objectId: host.id,
        message: `host ${host.name} is woken by a magic packet for ${wakeOnLan.mac} to ${wakeOnLan.address}:${wakeOnLan.port}`,
        data: wakeOnLan,
      });
      return written;
    });
  });
};
