import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { networkSchema } from '../../domain/network.ts';
import { resourceSchema } from '../../domain/resource.ts';
import { storageSchema } from '../../domain/storage.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

/**
 * Read-only inventory: resources (hosts register themselves through their agent; slots are made
 * by placement), storages and networks (from configuration).
 */
export const inventoryRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', async (req) => void requireAdmin(req));
  const { store } = ctx;

  app.get('/resources', {
    schema: { tags: ['resources'], summary: 'List resources (hosts and the slots placed on them)', querystring: listQuery(['name', 'type', 'hostId']), response: { 200: pageOf(resourceSchema), ...errorResponses } },
  }, async (req) => store.read.resources.list(splitQuery(req.query)));

  app.get('/resources/:id', {
    schema: { tags: ['resources'], summary: 'Show a resource', params: idParams, response: { 200: resourceSchema, ...errorResponses } },
  }, async (req) => store.read.resources.require(requireId(req.params.id)));

  app.get('/storages', {
    schema: { tags: ['storages'], summary: 'List storages', querystring: listQuery(['name']), response: { 200: pageOf(storageSchema), ...errorResponses } },
  }, async (req) => store.read.storages.list(splitQuery(req.query)));

  app.get('/storages/:id', {
    schema: { tags: ['storages'], summary: 'Show a storage', params: idParams, response: { 200: storageSchema, ...errorResponses } },
  }, async (req) => store.read.storages.require(requireId(req.params.id)));

  app.get('/networks', {
    schema: { tags: ['networks'], summary: 'List networks', querystring: listQuery(['name']), response: { 200: pageOf(networkSchema), ...errorResponses } },
  }, async (req) => store.read.networks.list(splitQuery(req.query)));

  app.get('/networks/:id', {
    schema: { tags: ['networks'], summary: 'Show a network', params: idParams, response: { 200: networkSchema, ...errorResponses } },
  }, async (req) => store.read.networks.require(requireId(req.params.id)));
};
