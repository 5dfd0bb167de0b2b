import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatLabels, RESERVED_LABEL_PREFIX } from '../../domain/placement-constraints.ts';
import { resourceSchema } from '../../domain/resource.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { hostLabelsInput } from '../input-checks.ts';
import { errorResponses, idParams, requireId } from '../schemas.ts';
import { requireHost } from './require-host.ts';

const labelsBody = z.strictObject({
  labels: hostLabelsInput.meta({ description: "The host's labels, replacing the ones an admin set before (Fleetyard's own fleetyard.io/ labels stay)" }),
});

/**
 * A host's labels (admin): what appliances' placement constraints select hosts by
 * (src/domain/placement-constraints.ts). Setting them re-places nothing: they count from the next
 * placement on, the failover of a failed host included.
 */
export const hostLabelRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;

  app.put('/hosts/:id/labels', {
    schema: {
      tags: ['hosts'],
      summary: "Set a host's labels, which appliances' placement constraints select hosts by",
      params: idParams,
      body: labelsBody,
      response: { 200: resourceSchema, ...errorResponses },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    return store.transaction(async (tx) => {
      const host = await requireHost(tx, id);
      const own = Object.fromEntries(Object.entries(host.spec.labels).filter(([k]) => k.startsWith(RESERVED_LABEL_PREFIX)));
      const labels = { ...req.body.labels, ...own };
      const written = await tx.resources.update({ ...host, spec: { ...host.spec, labels } }, store.clock.now(), true);
      await tx.emit({
        type: 'host.labels-set',
        kind: 'resource',
        objectId: host.id,
        message: `host ${host.name} is labelled ${formatLabels(req.body.labels) || '(no labels)'}`,
        data: { labels: req.body.labels },
      });
      return written;
    });
  });
};
