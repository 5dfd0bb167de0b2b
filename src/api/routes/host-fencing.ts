import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resourceSchema } from '../../domain/resource.ts';
import { confirmFencedByHand } from '../../ha/fence-confirm.ts';
import { adminOnly, principalOf } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { bmcAddressInput, bmcPasswordInput, bmcUserInput } from '../input-checks.ts';
import { errorResponses, idParams, requireId } from '../schemas.ts';
import { requireHost } from './require-host.ts';

const bmcBody = z.strictObject({
  address: bmcAddressInput,
  port: z.number().int().min(1).max(65535).optional().meta({ description: 'IPMI port (default 623)' }),
  user: bmcUserInput,
  password: bmcPasswordInput,
});

/**
 * A host's fencing (admin): the BMC a failed host is powered off through, and an admin's
 * confirmation that a host whose fence could not be confirmed is off (docs/high-availability.md).
 */
export const hostFencingRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;

  app.put('/hosts/:id/bmc', {
    schema: {
      tags: ['hosts'],
      summary: "Set the BMC a host is fenced through (its password is sealed at rest and never shown again)",
      params: idParams,
      body: bmcBody,
      response: { 200: resourceSchema, ...errorResponses },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    const b = req.body;
    return store.transaction(async (tx) => {
      const host = await requireHost(tx, id);
      const bmc = { address: b.address, port: b.port ?? 623, user: b.user, passwordSealed: ctx.secrets.seal(b.password) };
      const written = await tx.resources.update({ ...host, spec: { ...host.spec, bmc } }, store.clock.now(), true);
      await tx.emit({ type: 'host.bmc-set', kind: 'resource', objectId: host.id, message: `host ${host.name} is fenced through the BMC at ${bmc.address}:${bmc.port}`, data: { address: bmc.address, port: bmc.port } });
      return written;
    });
  });

  app.post('/hosts/:id/fence-confirm', {
    schema: {
      tags: ['hosts'],
      summary: 'Confirm by hand that a failed host is off: it counts as fenced, and its HA appliances restart elsewhere',
      params: idParams,
      response: { 200: resourceSchema, ...errorResponses },
    },
  }, async (req) => confirmFencedByHand(store, requireId(req.params.id), principalOf(req).userId, ctx.ha.leaseMs));
};
