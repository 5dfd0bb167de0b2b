import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { imageSchema, type Image } from '../../domain/image.ts';
import { freshMeta } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import { adminOnly } from '../auth/authenticate.ts';
import { acceptBinaryBodies, binaryBodyDoc, uploadBody, uploadDone, uploadErrorResponses } from '../binary-body.ts';
import type { ApiContext } from '../context.ts';
import { importImageData, QUEUED_STATUS } from '../image-import.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, serverPath, splitQuery } from '../schemas.ts';
import { commandArgInput } from '../input-checks.ts';

const createBody = z.strictObject({
  name: nameSchema,
  command: z.array(commandArgInput).min(1).max(64).optional(),
});

const importBody = z.strictObject({
  source: serverPath.meta({
    description: 'A rootfs tarball (.tar, .tar.gz) or directory on the server, inside one of its import directories (--import-dir)',
  }),
});

const DEFAULT_COMMAND = ['/bin/sh', '/etc/fleetyard/init'];

/**
 * Images: master root filesystems kept on a storage; appliances get O(1) clones of them.
 *
 * Like Glance, an image is created empty (`queued`) and then given its data, either as the body
 * of `PUT /images/{id}/file` (a tar stream, gzip-compressed or not) or, for files already on the
 * server, by `POST /images/{id}/import` from an import directory. Both answer once the image is
 * ready; meanwhile `GET /images/{id}` shows the bytes imported so far.
 */
export const imageRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  // Data-center inventory and operations: the admin role only.
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;
  const tags = ['images'];

  app.get('/images', {
    schema: { tags, summary: 'List images', querystring: listQuery(['name', 'storageId', 'format', 'parentId']), response: { 200: pageOf(imageSchema), ...errorResponses } },
  }, async (req) => store.read.images.list(splitQuery(req.query)));

  app.get('/images/:id', {
    schema: { tags, summary: 'Show an image (while importing: the bytes imported so far)', params: idParams, response: { 200: imageSchema, ...errorResponses } },
  }, async (req) => store.read.images.require(requireId(req.params.id)));

  app.post('/images', {
    schema: {
      tags,
      summary: 'Create an empty image (queued); give it its data with PUT /images/{id}/file or POST /images/{id}/import',
      body: createBody,
      response: { 201: imageSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const image: Image = {
      ...freshMeta(store.ids.next(), req.body.name, store.clock.now()),
      spec: { storageId: await ctx.defaultStorageId(), format: 'rootfs-dir', parentId: null, command: req.body.command ?? DEFAULT_COMMAND },
      status: QUEUED_STATUS,
    };
    await store.transaction(async (tx) => {
      await tx.images.insert(image);
      await tx.emit({ type: 'image.created', kind: 'image', objectId: image.id, message: `image ${image.name} created, waiting for its data`, data: {} });
    });
    return reply.status(201).send(image);
  });

  app.post('/images/:id/import', {
    schema: {
      tags,
      summary: 'Import a queued image from a tarball or directory inside a server import directory',
      params: idParams,
      body: importBody,
      response: { 200: imageSchema, ...errorResponses, 422: errorResponses[400] },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    await store.read.images.require(id);
    const opened = await ctx.uploads.importDirs.open(req.body.source, 'source');
    try {
      return await importImageData(ctx, id, { kind: 'opened', source: opened }, {
        expectedBytes: opened.kind === 'file' ? opened.sizeBytes : null,
        field: 'source',
        maxBytes: ctx.uploads.maxImageBytes,
      });
    } finally {
      await opened.handle.close().catch(() => undefined);
    }
  });

  const uploadRoutes: FastifyPluginAsyncZod = async (uploads) => {
    acceptBinaryBodies(uploads);
    // Checked before the body is read: a non-admin cannot make the server take a single byte.
    uploads.addHook('onRequest', adminOnly);
    uploads.put('/images/:id/file', {
      config: binaryBodyDoc('The root filesystem as a tar archive, gzip-compressed or not'),
      schema: {
        tags,
        summary: 'Upload the data of a queued image: a rootfs tar stream (.tar or .tar.gz), streamed to disk as it arrives',
        params: idParams,
        response: { 200: imageSchema, ...errorResponses, ...uploadErrorResponses },
      },
    }, async (req) => {
      const id = requireId(req.params.id);
      await store.read.images.require(id);
      const { maxImageBytes: maxBytes, stallMs } = ctx.uploads;
      const { stream, declaredBytes } = uploadBody(req, { maxBytes, stallMs, field: 'body' });
      try {
        return await importImageData(ctx, id, { kind: 'stream', stream }, { expectedBytes: declaredBytes, field: 'body', maxBytes });
      } finally {
        uploadDone(req);
      }
    });
  };
  await app.register(uploadRoutes);

  app.delete('/images/:id', {
    schema: { tags, summary: 'Delete an image (refused while an appliance uses it or it is importing)', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    await store.transaction(async (tx) => {
      const image = await tx.images.require(id);
      if (image.status.state === 'importing') throw new FleetyardError('FY_IMAGE_STATE', `image ${image.name} is importing; delete it once that ended`, { state: 'importing' });
      const users = await tx.appliances.count({ imageId: id });
      if (users > 0) throw new FleetyardError('FY_IMAGE_IN_USE', `image ${image.name} is used by ${users} appliance(s)`, { appliances: users });
      // A product's requests would fail at provisioning without it; the admin retires it first.
      const products = (await tx.products.all()).filter((p) => p.spec.imageId === id).map((p) => p.name);
      if (products.length > 0) {
        throw new FleetyardError('FY_IMAGE_IN_USE', `image ${image.name} is used by product ${products.join(', ')}`, { appliances: 0, products });
      }
      await tx.images.delete(id);
      await tx.emit({ type: 'image.deleted', kind: 'image', objectId: id, message: `image ${image.name} deleted`, data: {} });
    });
    await ctx.storage.deleteImage(id);
    return reply.status(204).send(null);
  });
};
