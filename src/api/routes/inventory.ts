import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { freshMeta } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import { resourceRoleSchema, resourceSchema, type Resource } from '../../domain/resource.ts';
import { storageSchema } from '../../domain/storage.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';
import { bmcAddressInput, bmcPasswordInput, bmcUserInput, labelsInput } from '../input-checks.ts';

/**
 * Inventory: resources (hosts register themselves through their agent; slots are made by
 * placement; admins register physical servers) and storages (from configuration). Networks have
 * their own routes (networks.ts).
 */
export const inventoryRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;

  const resourceQuery = listQuery(['name', 'type', 'hostId']).extend({
    role: resourceRoleSchema.optional().meta({ description: 'host: machines running an agent; server: physical machines a host network-boots; slot: VMs and containers placed on a host' }),
  });

  app.get('/resources', {
    schema: { tags: ['resources'], summary: 'List resources (hosts, the physical servers they boot, and the slots placed on them)', querystring: resourceQuery, response: { 200: pageOf(resourceSchema), ...errorResponses } },
  }, async (req) => store.read.resources.list(splitQuery(req.query)));

  app.get('/resources/:id', {
    schema: { tags: ['resources'], summary: 'Show a resource', params: idParams, response: { 200: resourceSchema, ...errorResponses } },
  }, async (req) => store.read.resources.require(requireId(req.params.id)));

  const physicalBody = z.strictObject({
    name: nameSchema,
    hostId: z.string().max(100).meta({ description: 'The host whose boot service network-boots this server' }),
    mac: z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/).transform((m) => m.toLowerCase()),
    bmc: z.strictObject({
      address: bmcAddressInput,
      port: z.number().int().min(1).max(65535).optional(),
      user: bmcUserInput,
      password: bmcPasswordInput,
    }),
    capacity: z.strictObject({ cpu: z.number().int().min(1).max(1024), memoryMiB: z.number().int().min(16), diskMiB: z.number().int().min(0) }),
    labels: labelsInput.optional(),
  });

  app.post('/resources', {
    schema: {
      tags: ['resources'],
      summary: 'Register a physical server (its BMC password is sealed at rest and never shown again)',
      body: physicalBody,
      response: { 201: resourceSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const host = await store.read.resources.require(requireId(b.hostId));
    if (!host.spec.virtualizations.includes('physical')) {
      throw new FleetyardError('FY_VALIDATION', `host ${host.name} offers no network boot (its agent has no physical driver)`);
    }
    const now = store.clock.now();
    const server: Resource = {
      ...freshMeta(store.ids.next(), b.name, now),
      spec: {
        type: 'physical',
        hostId: host.id,
        capacity: b.capacity,
        virtualizations: [],
        labels: b.labels ?? {},
        mac: b.mac,
        bmc: { address: b.bmc.address, port: b.bmc.port ?? 623, user: b.bmc.user, passwordSealed: ctx.secrets.seal(b.bmc.password) },
      },
      status: { state: 'idle', powerState: 'unknown', applianceId: null, address: null, lastHeartbeatAt: null, facts: {} },
    };
    await store.transaction(async (tx) => {
      await tx.resources.insert(server);
      await tx.emit({ type: 'resource.registered', kind: 'resource', objectId: server.id, message: `physical server ${server.name} (${b.mac}) registered`, data: { hostId: host.id } });
    });
    return reply.status(201).send(server);
  });

  app.delete('/resources/:id', {
    schema: { tags: ['resources'], summary: 'Remove a physical server (refused while an appliance runs on it)', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    await store.transaction(async (tx) => {
      const r = await tx.resources.require(id);
      if (r.spec.type !== 'physical' || r.spec.virtualizations.length > 0) throw new FleetyardError('FY_VALIDATION', 'only registered physical servers are removed this way');
      if (r.status.applianceId) throw new FleetyardError('FY_RESOURCE_IN_USE', `appliance ${r.status.applianceId} runs on ${r.name}`);
      await tx.resources.delete(id);
      await tx.emit({ type: 'resource.removed', kind: 'resource', objectId: id, message: `physical server ${r.name} removed`, data: {} });
    });
    return reply.status(204).send(null);
  });

  app.get('/storages', {
    schema: { tags: ['storages'], summary: 'List storages', querystring: listQuery(['name']), response: { 200: pageOf(storageSchema), ...errorResponses } },
  }, async (req) => store.read.storages.list(splitQuery(req.query)));

  app.get('/storages/:id', {
    schema: { tags: ['storages'], summary: 'Show a storage', params: idParams, response: { 200: storageSchema, ...errorResponses } },
  }, async (req) => store.read.storages.require(requireId(req.params.id)));
};
