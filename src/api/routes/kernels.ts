import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { KERNEL_FILES, kernelSchema, type Kernel } from '../../domain/kernel.ts';
import { freshMeta } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import type { OpenedSource } from '../../storage/import-dirs.ts';
import { adminOnly } from '../auth/authenticate.ts';
import { acceptBinaryBodies, binaryBodyDoc, uploadBody, uploadDone, uploadErrorResponses } from '../binary-body.ts';
import type { ApiContext } from '../context.ts';
import { putKernelFiles, type KernelFileSource } from '../kernel-files.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, serverPath, splitQuery } from '../schemas.ts';
import { kernelCmdlineInput } from '../input-checks.ts';

const createBody = z.strictObject({
  name: nameSchema,
  cmdline: kernelCmdlineInput.optional(),
});

const importBody = z.strictObject({
  vmlinuzPath: serverPath.meta({ description: 'A bzImage on the server, inside one of its import directories (--import-dir)' }),
  initrdPath: serverPath.meta({ description: 'An initrd on the server, inside one of its import directories' }).nullable().optional(),
});

/**
 * Kernels: boot kernel + initrd for VMs and network-booted machines, kept in Fleetyard's own
 * kernel store (src/storage/kernel-store.ts). A kernel is created empty (`queued`), then gets
 * its files as uploads (`PUT /kernels/{id}/vmlinuz`, `…/initrd`) or copied from a server import
 * directory (`POST /kernels/{id}/import`); it is `ready` once its vmlinuz is there. Upload the
 * initrd first (or both in one import) and no appliance ever boots the kernel without it.
 */
export const kernelRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;
  const tags = ['kernels'];
  const busy = new Set<string>();

  app.get('/kernels', {
    schema: { tags, summary: 'List kernels', querystring: listQuery(['name']), response: { 200: pageOf(kernelSchema), ...errorResponses } },
  }, async (req) => store.read.kernels.list(splitQuery(req.query)));

  app.get('/kernels/:id', {
    schema: { tags, summary: 'Show a kernel', params: idParams, response: { 200: kernelSchema, ...errorResponses } },
  }, async (req) => store.read.kernels.require(requireId(req.params.id)));

  app.post('/kernels', {
    schema: {
      tags,
      summary: 'Create a kernel without files (queued); give it its files with PUT /kernels/{id}/vmlinuz and …/initrd, or POST /kernels/{id}/import',
      body: createBody,
      response: { 201: kernelSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const kernel: Kernel = {
      ...freshMeta(store.ids.next(), req.body.name, store.clock.now()),
      spec: { vmlinuzPath: null, initrdPath: null, cmdline: req.body.cmdline ?? 'console=ttyS0' },
      status: { state: 'queued', message: null, vmlinuzBytes: null, initrdBytes: null },
    };
    await store.transaction(async (tx) => {
      await tx.kernels.insert(kernel);
      await tx.emit({ type: 'kernel.created', kind: 'kernel', objectId: kernel.id, message: `kernel ${kernel.name} created, waiting for its files`, data: {} });
    });
    return reply.status(201).send(kernel);
  });

  app.post('/kernels/:id/import', {
    schema: {
      tags,
      summary: 'Copy a kernel\'s vmlinuz (and initrd) into the kernel store from a server import directory',
      params: idParams,
      body: importBody,
      response: { 200: kernelSchema, ...errorResponses, 413: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    await store.read.kernels.require(id);
    const opened: OpenedSource[] = [];
    try {
      const sources: KernelFileSource[] = [];
      const wanted = [['vmlinuz', 'vmlinuzPath', req.body.vmlinuzPath], ['initrd', 'initrdPath', req.body.initrdPath]] as const;
      for (const [file, field, path] of wanted) {
        if (!path) continue;
        const source = await ctx.uploads.importDirs.open(path, field, ['file']);
        opened.push(source);
        sources.push({ file, field, source: source.handle.createReadStream({ autoClose: false }) });
      }
      return await putKernelFiles(ctx, id, sources, busy);
    } finally {
      for (const o of opened) await o.handle.close().catch(() => undefined);
    }
  });

  const uploadRoutes: FastifyPluginAsyncZod = async (uploads) => {
    acceptBinaryBodies(uploads);
    // Checked before the body is read: a non-admin cannot make the server take a single byte.
    uploads.addHook('onRequest', adminOnly);
    for (const file of KERNEL_FILES) {
      uploads.put(`/kernels/:id/${file}`, {
        config: binaryBodyDoc(file === 'vmlinuz' ? 'The kernel: a bzImage' : 'The initrd: gzip, zstd, xz or lz4 compressed, or a plain cpio archive'),
        schema: {
          tags,
          summary: `Upload a kernel's ${file} into the kernel store (checked for what it is as it arrives)`,
          params: idParams,
          response: { 200: kernelSchema, ...errorResponses, ...uploadErrorResponses },
        },
      }, async (req) => {
        const id = requireId(req.params.id);
        await store.read.kernels.require(id);
        const { stream } = uploadBody(req, { maxBytes: ctx.uploads.maxKernelFileBytes, stallMs: ctx.uploads.stallMs, field: file });
        try {
          return await putKernelFiles(ctx, id, [{ file, field: file, source: stream }], busy);
        } finally {
          uploadDone(req);
        }
      });
    }
  };
  await app.register(uploadRoutes);

  app.delete('/kernels/:id', {
    schema: { tags, summary: 'Delete a kernel no appliance uses', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    if (KERNEL_FILES.some((f) => busy.has(`${id}/${f}`))) throw new FleetyardError('FY_KERNEL_STATE', 'a file of the kernel is being uploaded right now');
    await store.transaction(async (tx) => {
      const k = await tx.kernels.require(id);
      const users = (await tx.appliances.all()).filter((a) => a.spec.kernelId === id).length;
      if (users > 0) throw new FleetyardError('FY_IMAGE_IN_USE', `kernel ${k.name} is used by ${users} appliance(s)`, { appliances: users });
      const products = (await tx.products.all()).filter((p) => p.spec.kernelId === id).map((p) => p.name);
      if (products.length > 0) {
        throw new FleetyardError('FY_IMAGE_IN_USE', `kernel ${k.name} is used by product ${products.join(', ')}`, { appliances: 0, products });
      }
      await tx.kernels.delete(id);
      await tx.emit({ type: 'kernel.deleted', kind: 'kernel', objectId: id, message: `kernel ${k.name} deleted`, data: {} });
    });
    await ctx.uploads.kernels.remove(id);
    return reply.status(204).send(null);
  });
};
