import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { monitoringReader, type MonitoringReader } from '../auth/metrics-reader.ts';
import { prometheusTargets } from '../prometheus-sd.ts';
import { errorSchema } from '../schemas.ts';

const targetGroupSchema = z
  .object({
    targets: z.array(z.string()).meta({ description: '`<address>:<port>`, the port from the label fleetyard.io/metrics-port (default 9100)' }),
    labels: z.record(z.string(), z.string()).meta({ description: '__meta_fleetyard_appliance_id, _appliance_name, _host, _owner, _virtualization, _phase, _network, _label_<key>' }),
  })
  .meta({ id: 'PrometheusTargetGroup' });

/**
 * Monitoring for the tools people already run. The Prometheus HTTP service discovery answers
 * with the metrics token (what a Prometheus server is given), an admin (every appliance) or a
 * cloud user (their own appliances only), by bearer token or session.
 */
export const monitoringRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Who asks, found before anything else (as the API's own check does for every other route).
  const readers = new WeakMap<FastifyRequest, MonitoringReader>();
  app.get('/monitoring/prometheus-sd', {
    // The metrics token is no user, so the API's own check would refuse it: this route checks itself.
    config: { public: true },
    onRequest: async (req) => {
      readers.set(req, await monitoringReader(req, ctx));
    },
    schema: {
      tags: ['monitoring'],
      summary: 'Prometheus HTTP service discovery: one target group per appliance with an address (the metrics token, an admin, or a cloud user for their own)',
      querystring: z.strictObject({}),
      response: { 200: z.array(targetGroupSchema), 400: errorSchema, 401: errorSchema },
    },
  }, async (req, reply) => {
    const reader = readers.get(req) as MonitoringReader;
    const own = reader.kind === 'user' && reader.principal.role !== 'admin' ? reader.principal : null;
    const [appliances, hosts, users] = await Promise.all([
      own ? ctx.store.read.appliances.all({ ownerId: own.userId }) : ctx.store.read.appliances.all(),
      ctx.store.read.resources.all(),
      own ? Promise.resolve([]) : ctx.store.read.users.all(),
    ]);
    const hostNames = new Map(hosts.map((h) => [h.id, h.name]));
    const ownerNames = new Map(users.map((u) => [u.id, u.name]));
    if (own) ownerNames.set(own.userId, own.name);
    const groups = prometheusTargets(appliances, { host: (id) => hostNames.get(id) ?? id, owner: (id) => ownerNames.get(id) ?? id });
    return reply.type('application/json; charset=utf-8').send(groups);
  });
};
