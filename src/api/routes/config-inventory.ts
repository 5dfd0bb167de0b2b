import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ansibleInventory } from '../ansible-inventory.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses } from '../schemas.ts';

const inventorySchema = z
  .object({ _meta: z.object({ hostvars: z.record(z.string(), z.record(z.string(), z.unknown())) }) })
  .catchall(z.unknown())
  .meta({ description: 'An Ansible dynamic inventory (`--list` output): groups config_<group> and label_<key>_<value>, and _meta.hostvars per appliance' });

/** The fleet as an Ansible dynamic inventory (admin): what `fleetyard inventory --ansible` prints. */
export const configInventoryRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  app.get('/config/ansible/inventory', {
    schema: { tags: ['config-groups'], summary: 'Every appliance as an Ansible dynamic inventory (admin)', response: { 200: inventorySchema, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    return ansibleInventory(await store.read.appliances.all(), await store.read.users.all());
  });
};
