import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { placementPolicySchema } from '../../domain/placement-constraints.ts';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { freshMeta, virtualizationSchema } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import { productSchema, sizeSchema, type Product } from '../../domain/product.ts';
import { configGroupNamesSchema } from '../../domain/config-group.ts';
import { principalOf, requireAdmin } from '../auth/authenticate.ts';
import { requireConfigGroups } from '../config-group-names.ts';
import type { ApiContext } from '../context.ts';
import { mutateSpec } from '../mutate.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

const productBody = z.strictObject({
  name: nameSchema,
  description: z.string().max(2000).optional(),
  imageId: z.string().max(100),
  kernelId: z.string().max(100).nullable().optional(),
  sizes: z.array(sizeSchema.strict()).min(1).max(32),
  virtualizations: z.array(virtualizationSchema).min(1).max(4),
  haAllowed: z.boolean().optional(),
  enabled: z.boolean().optional(),
  configGroups: configGroupNamesSchema.optional().meta({ description: 'Configuration groups every appliance of the product gets, in order' }),
  placementPolicy: placementPolicySchema.nullable().optional().meta({ description: "How its units' hosts are chosen: spread, pack or energy-aware; null: the installation's" }),
}).meta({
  examples: [
    {
      name: 'web-server',
      description: 'A small web server',
      imageId: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b',
      sizes: [
        { name: 'small', cpu: 1, memoryMiB: 256, diskMiB: 1024 },
        { name: 'large', cpu: 4, memoryMiB: 4096, diskMiB: 20480 },
      ],
      virtualizations: ['container', 'qemu'],
      haAllowed: false,
    },
  ],
});
const productPatch = productBody.omit({ name: true }).partial().strict();

/** Products: what cloud users may order. Admins define them; users see the enabled ones. */
export const productRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const tags = ['products'];

  const check = async (b: { imageId?: string | undefined; kernelId?: string | null | undefined; sizes?: Array<{ name: string }> | undefined; configGroups?: string[] | undefined }) => {
    await requireConfigGroups(store.read, b.configGroups);
    if (b.imageId) await store.read.images.require(requireId(b.imageId));
    if (b.kernelId) await store.read.kernels.require(requireId(b.kernelId));
    if (b.sizes && new Set(b.sizes.map((s) => s.name)).size !== b.sizes.length) throw new FleetyardError('FY_VALIDATION', 'size names must be unique');
  };

  app.get('/products', {
    schema: { tags, summary: 'List products (users see the enabled ones)', querystring: listQuery(['name']), response: { 200: pageOf(productSchema), ...errorResponses } },
  }, async (req) => {
    const page = await store.read.products.list(splitQuery(req.query));
    if (principalOf(req).role === 'admin') return page;
    return { ...page, items: page.items.filter((p) => p.spec.enabled) };
  });

  app.get('/products/:id', {
    schema: { tags, summary: 'Show a product', params: idParams, response: { 200: productSchema, ...errorResponses } },
  }, async (req) => {
    const p = await store.read.products.require(requireId(req.params.id));
    if (!p.spec.enabled && principalOf(req).role !== 'admin') throw new FleetyardError('FY_NOT_FOUND', `product ${p.id} does not exist`);
    return p;
  });

  app.post('/products', {
    schema: { tags, summary: 'Define a product (admin)', body: productBody, response: { 201: productSchema, ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const b = req.body;
    await check(b);
    const product: Product = {
      ...freshMeta(store.ids.next(), b.name, store.clock.now()),
      spec: {
        description: b.description ?? '',
        imageId: b.imageId,
        kernelId: b.kernelId ?? null,
        sizes: b.sizes,
        virtualizations: b.virtualizations,
        haAllowed: b.haAllowed ?? false,
        enabled: b.enabled ?? true,
        ...(b.configGroups ? { configGroups: b.configGroups } : {}),
        ...(b.placementPolicy ? { placementPolicy: b.placementPolicy } : {}),
      },
      status: {},
    };
    await store.transaction(async (tx) => {
      await tx.products.insert(product);
      await tx.emit({ type: 'product.created', kind: 'product', objectId: product.id, message: `product ${product.name} defined`, data: {} });
    });
    return reply.status(201).send(product);
  });

  app.patch('/products/:id', {
    schema: { tags, summary: 'Change a product (admin)', params: idParams, body: productPatch, response: { 200: productSchema, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    await check(req.body);
    const patch = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined));
    return mutateSpec(store, (tx) => tx.products, requireId(req.params.id), (p) => ({
      next: { ...p, spec: { ...p.spec, ...patch } },
      event: { type: 'product.updated', kind: 'product', objectId: p.id, message: `product ${p.name} changed`, data: { fields: Object.keys(patch) } },
    }));
  });
};
