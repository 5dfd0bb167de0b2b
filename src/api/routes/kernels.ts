import { freshMeta } from '../../domain/meta.ts';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { kernelSchema, type Kernel } from '../../domain/kernel.ts';
import { nameSchema } from '../../domain/names.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

const path = z.string().min(2).max(4096).refine((s) => isAbsolute(s) && !s.includes('\0'), 'must be an absolute path on the server');
const createBody = z.strictObject({
  name: nameSchema,
  vmlinuzPath: path,
  initrdPath: path.nullable().optional(),
  cmdline: z.string().max(4096).optional(),
});

/** Kernels: boot kernel + initrd for VMs and network-booted machines. */
export const kernelRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', async (req) => void requireAdmin(req));
  const { store } = ctx;
  const tags = ['kernels'];

  app.get('/kernels', {
    schema: { tags, summary: 'List kernels', querystring: listQuery(['name']), response: { 200: pageOf(kernelSchema), ...errorResponses } },
  }, async (req) => store.read.kernels.list(splitQuery(req.query)));

  app.get('/kernels/:id', {
    schema: { tags, summary: 'Show a kernel', params: idParams, response: { 200: kernelSchema, ...errorResponses } },
  }, async (req) => store.read.kernels.require(requireId(req.params.id)));

  app.post('/kernels', {
    schema: { tags, summary: 'Register a kernel', body: createBody, response: { 201: kernelSchema, ...errorResponses } },
  }, async (req, reply) => {
    const b = req.body;
    for (const p of [b.vmlinuzPath, b.initrdPath]) {
      if (p && !existsSync(p)) throw new FleetyardError('FY_VALIDATION', `${p} does not exist on the server`);
    }
    const kernel: Kernel = {
      ...freshMeta(store.ids.next(), b.name, store.clock.now()),
      spec: { vmlinuzPath: b.vmlinuzPath, initrdPath: b.initrdPath ?? null, cmdline: b.cmdline ?? 'console=ttyS0' },
      status: {},
    };
    await store.transaction(async (tx) => {
      await tx.kernels.insert(kernel);
      await tx.emit({ type: 'kernel.created', kind: 'kernel', objectId: kernel.id, message: `kernel ${kernel.name} registered`, data: {} });
    });
    return reply.status(201).send(kernel);
  });

  app.delete('/kernels/:id', {
    schema: { tags, summary: 'Delete a kernel', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    await store.transaction(async (tx) => {
      const k = await tx.kernels.require(id);
      const users = (await tx.appliances.all()).filter((a) => a.spec.kernelId === id).length;
      if (users > 0) throw new FleetyardError('FY_IMAGE_IN_USE', `kernel ${k.name} is used by ${users} appliance(s)`);
      await tx.kernels.delete(id);
      await tx.emit({ type: 'kernel.deleted', kind: 'kernel', objectId: id, message: `kernel ${k.name} deleted`, data: {} });
    });
    return reply.status(204).send(null);
  });
};
