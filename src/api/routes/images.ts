import { freshMeta } from '../../domain/meta.ts';
import { isAbsolute } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { imageSchema, type Image } from '../../domain/image.ts';
import { nameSchema } from '../../domain/names.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

const importBody = z.strictObject({
  name: nameSchema,
  source: z
    .string()
    .min(2)
    .max(4096)
    .refine((s) => isAbsolute(s) && !s.includes('\0'), 'must be an absolute path on the server')
    .meta({ description: 'Absolute path, on the server, of a rootfs tarball (.tar, .tar.gz) or directory' }),
  command: z.array(z.string().min(1).max(4096)).min(1).max(64).optional(),
});

const DEFAULT_COMMAND = ['/bin/sh', '/etc/fleetyard/init'];

/** Images: master root filesystems kept on a storage; appliances get O(1) clones of them. */
export const imageRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', async (req) => void requireAdmin(req));
  const { store } = ctx;
  const tags = ['images'];

  app.get('/images', {
    schema: { tags, summary: 'List images', querystring: listQuery(['name', 'storageId', 'format', 'parentId']), response: { 200: pageOf(imageSchema), ...errorResponses } },
  }, async (req) => store.read.images.list(splitQuery(req.query)));

  app.get('/images/:id', {
    schema: { tags, summary: 'Show an image', params: idParams, response: { 200: imageSchema, ...errorResponses } },
  }, async (req) => store.read.images.require(requireId(req.params.id)));

  app.post('/images', {
    schema: { tags, summary: 'Import an image from a rootfs tarball or directory', body: importBody, response: { 201: imageSchema, 422: errorResponses[400], ...errorResponses } },
  }, async (req, reply) => {
    const image: Image = {
      ...freshMeta(store.ids.next(), req.body.name, store.clock.now()),
      spec: { storageId: await ctx.defaultStorageId(), format: 'rootfs-dir', parentId: null, command: req.body.command ?? DEFAULT_COMMAND },
      status: { state: 'importing', path: null, sizeBytes: 0, message: null },
    };
    await store.transaction(async (tx) => {
      await tx.images.insert(image);
      await tx.emit({ type: 'image.importing', kind: 'image', objectId: image.id, message: `importing image ${image.name}`, data: {} });
    });
    try {
      const { path, sizeBytes } = await ctx.storage.importImage(image.id, req.body.source);
      const ready = await store.transaction(async (tx) => {
        const next = await tx.images.update({ ...image, status: { state: 'ready', path, sizeBytes, message: null } }, store.clock.now());
        await tx.emit({ type: 'image.ready', kind: 'image', objectId: image.id, message: `image ${image.name} imported (${sizeBytes} bytes)`, data: { sizeBytes } });
        return next;
      });
      return reply.status(201).send(ready);
    } catch (e) {
      await store.transaction(async (tx) => {
        await tx.images.delete(image.id);
        await tx.emit({ type: 'image.import-failed', kind: 'image', objectId: image.id, message: `import of ${image.name} failed`, data: {} });
      });
      await ctx.storage.deleteImage(image.id).catch(() => undefined);
      if (e instanceof FleetyardError) throw e;
      throw new FleetyardError('FY_IMAGE_SOURCE', e instanceof Error ? e.message : String(e));
    }
  });

  app.delete('/images/:id', {
    schema: { tags, summary: 'Delete an image (refused while an appliance uses it)', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    await store.transaction(async (tx) => {
      const image = await tx.images.require(id);
      const users = await tx.appliances.count({ imageId: id });
      if (users > 0) throw new FleetyardError('FY_IMAGE_IN_USE', `image ${image.name} is used by ${users} appliance(s)`, { appliances: users });
      await tx.images.delete(id);
      await tx.emit({ type: 'image.deleted', kind: 'image', objectId: id, message: `image ${image.name} deleted`, data: {} });
    });
    await ctx.storage.deleteImage(id);
    return reply.status(204).send(null);
  });
};
