import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Appliance } from '../../domain/appliance.ts';
import { appliedConfigSchema, configGroupSchema, configGroupSpecSchema, type ConfigGroup } from '../../domain/config-group.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { freshMeta } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import type { Product } from '../../domain/product.ts';
import type { Repos } from '../../store/store.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { mutateSpec } from '../mutate.ts';
import { checkPlaybook } from '../playbook-check.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

const parts = {
  description: z.string().max(2000).optional(),
  ansible: z.strictObject({ playbook: z.string().min(1).max(262_144) }).nullable().optional().meta({ description: 'A playbook (YAML) run against each appliance over SSH; its plays target `all`' }),
  puppet: configGroupSpecSchema.shape.puppet.unwrap().strict().nullable().optional(),
  cloudInit: configGroupSpecSchema.shape.cloudInit.unwrap().strict().nullable().optional(),
};
const createBody = z.strictObject({ name: nameSchema, ...parts }).meta({
  examples: [
    {
      name: 'motd',
      description: 'A message of the day',
      ansible: { playbook: '- hosts: all\n  gather_facts: false\n  tasks:\n    - raw: echo welcome > /etc/motd\n' },
    },
  ],
});
const patchBody = z.strictObject(parts);

const configGroupUsageSchema = z.object({
  products: z.array(z.object({ id: z.string(), name: z.string() })),
  appliances: z.array(z.object({ id: z.string(), name: z.string(), applied: appliedConfigSchema.nullable() })),
});

/** The products and appliances that name a group (an appliance being deleted still does). */
async function carriersOf(repos: Repos, name: string): Promise<{ products: Product[]; appliances: Appliance[] }> {
  const products = (await repos.products.all()).filter((p) => p.spec.configGroups?.includes(name));
  const appliances = (await repos.appliances.all()).filter((a) => a.spec.configGroups?.includes(name));
  return { products, appliances };
}

/**
 * Configuration groups (admin only): named, versioned units of configuration that products and
 * appliances carry. A change bumps `revision`, which is what makes each appliance get it again.
 */
export const configGroupRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const tags = ['config-groups'];

  app.get('/config-groups', {
    schema: { tags, summary: 'List configuration groups (admin)', querystring: listQuery(['name']), response: { 200: pageOf(configGroupSchema), ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    return store.read.configGroups.list(splitQuery(req.query));
  });

  app.get('/config-groups/:id', {
    schema: { tags, summary: 'Show a configuration group (admin)', params: idParams, response: { 200: configGroupSchema, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    return store.read.configGroups.require(requireId(req.params.id));
  });

  app.get('/config-groups/:id/usage', {
    schema: {
      tags,
      summary: 'The products and appliances that carry a configuration group, with what its last application did on each (admin)',
      params: idParams,
      response: { 200: configGroupUsageSchema, ...errorResponses },
    },
  }, async (req) => {
    requireAdmin(req);
    const g = await store.read.configGroups.require(requireId(req.params.id));
    const { products, appliances } = await carriersOf(store.read, g.name);
    return {
      products: products.map((p) => ({ id: p.id, name: p.name })),
      appliances: appliances.map((a) => ({ id: a.id, name: a.name, applied: a.status.config?.find((c) => c.group === g.name) ?? null })),
    };
  });

  app.post('/config-groups', {
    schema: { tags, summary: 'Define a configuration group (admin)', body: createBody, response: { 201: configGroupSchema, ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const b = req.body;
    if (b.ansible) checkPlaybook(b.ansible.playbook);
    const group: ConfigGroup = {
      ...freshMeta(store.ids.next(), b.name, store.clock.now()),
      spec: { description: b.description ?? '', revision: 1, ansible: b.ansible ?? null, puppet: b.puppet ?? null, cloudInit: b.cloudInit ?? null },
      status: {},
    };
    await store.transaction(async (tx) => {
      await tx.configGroups.insert(group);
      await tx.emit({ type: 'config-group.created', kind: 'config-group', objectId: group.id, message: `configuration group ${group.name} defined`, data: { revision: 1 } });
    });
    return reply.status(201).send(group);
  });

  app.patch('/config-groups/:id', {
    schema: { tags, summary: 'Change a configuration group (admin); its revision goes up', params: idParams, body: patchBody, response: { 200: configGroupSchema, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    if (req.body.ansible) checkPlaybook(req.body.ansible.playbook);
    const patch = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined));
    return mutateSpec(store, (tx) => tx.configGroups, requireId(req.params.id), (g) => {
      const revision = g.spec.revision + 1;
      return {
        next: { ...g, spec: { ...g.spec, ...patch, revision } },
        event: { type: 'config-group.updated', kind: 'config-group', objectId: g.id, message: `configuration group ${g.name} changed (revision ${revision})`, data: { revision, fields: Object.keys(patch) } },
      };
    });
  });

  app.delete('/config-groups/:id', {
    schema: { tags, summary: 'Delete a configuration group no product or appliance carries (admin)', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const id = requireId(req.params.id);
    await store.transaction(async (tx) => {
      const g = await tx.configGroups.require(id);
      const { products, appliances } = await carriersOf(tx, g.name);
      if (products.length > 0 || appliances.length > 0) {
        const names = [...products.map((p) => `product ${p.name}`), ...appliances.map((a) => `appliance ${a.name}`)];
        throw new FleetyardError('FY_CONFIG_GROUP_IN_USE', `configuration group ${g.name} is carried by ${names.join(', ')}`, {
          products: products.map((p) => p.name),
          appliances: appliances.map((a) => a.name),
        });
      }
      await tx.configGroups.delete(id);
      await tx.emit({ type: 'config-group.deleted', kind: 'config-group', objectId: id, message: `configuration group ${g.name} deleted`, data: {} });
    });
    return reply.status(204).send(null);
  });
};
