import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { nagiosObjects } from '../../domain/nagios-objects.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses } from '../schemas.ts';
import { reachableAddress } from '../../domain/appliance.ts';

/**
 * Monitoring from outside: the appliances and their health checks as Nagios/Icinga object
 * definitions (hosts, services, the commands, a contact and templates) for an existing Nagios.
 * Admin-only: it lists every appliance and its address.
 */
export const nagiosExportRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  app.get('/monitoring/nagios', {
    schema: {
      tags: ['monitoring'],
      summary: 'Nagios object definitions of the appliances (hosts) and their health checks (services)',
      description: 'Plain text for a cfg_file of nagios.cfg; $USER1$ must be the plugin directory. Appliances without an address (never placed) are left out.',
      response: { 200: z.string().meta({ description: 'text/plain' }), ...errorResponses },
    },
  }, async (req, reply) => {
    requireAdmin(req);
    const appliances = [];
    for (let cursor: string | undefined; ;) {
      const page = await store.read.appliances.list({ filters: {}, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const a of page.items) {
        const address = reachableAddress(a);
        if (address && !a.deletionRequestedAt) appliances.push({ name: a.name, address, checks: a.spec.checks ?? [] });
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return reply.type('text/plain; charset=utf-8').send(nagiosObjects(appliances, store.clock.now().toISOString()));
  });
};
