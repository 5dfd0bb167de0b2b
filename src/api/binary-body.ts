import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { FleetyardError } from '../domain/errors.ts';
import { errorSchema } from './schemas.ts';

/**
 * Routes whose body is a file (an image tarball, a vmlinuz, an initrd) rather than JSON. They
 * live in an encapsulated plugin of their own that drops the JSON parser and takes only these
 * types, handing the route the request stream itself: the body is never buffered, and the 1 MiB
 * body limit of the JSON routes does not apply (each route enforces its own maximum while the
 * bytes arrive). Every other route keeps answering 415 to anything but JSON.
 */
export const BINARY_TYPES = ['application/x-tar', 'application/gzip', 'application/octet-stream'] as const;

export function acceptBinaryBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...BINARY_TYPES], (_req: FastifyRequest, payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) =>
    done(null, payload),
  );
  // A refused upload is usually refused before its end: rather than reading (and dropping) the
  // rest of a body that may be gigabytes long, the connection ends after the answer.
  app.addHook('onSend', async (_req, reply) => {
    if (reply.statusCode >= 400) void reply.header('connection', 'close');
  });
}

/** Error answers an upload route documents besides the usual ones. */
export const uploadErrorResponses = { 413: errorSchema, 415: errorSchema, 422: errorSchema };

/**
 * Route config that documents the binary body in /openapi.json: the zod transform describes
 * params and responses, and the body becomes `format: binary` under each accepted type.
 */
export function binaryBodyDoc(description: string) {
  return {
    swaggerTransform: (input: Parameters<typeof jsonSchemaTransform>[0]) => {
      const out = jsonSchemaTransform(input);
      return {
        ...out,
        schema: { ...out.schema, consumes: [...BINARY_TYPES], body: { type: 'string', format: 'binary', description } },
      };
    },
  };
}

/**
 * The body of an upload as a stream. A declared Content-Length over `maxBytes` is refused before
 * a byte is read; a body without one is cut off by the route's meter as it passes the limit. A
 * client that sends nothing for `stallMs` has its connection closed, so a stalled upload cannot
 * hold an import open for ever.
 */
export function uploadBody(req: FastifyRequest, opts: { maxBytes: number; stallMs: number; field: string }): { stream: Readable; declaredBytes: number | null } {
  const body = req.body as Readable | undefined;
  if (body === undefined || body === null || typeof (body as Readable).pipe !== 'function') {
    throw new FleetyardError('FY_UNSUPPORTED_MEDIA_TYPE', `send the file as the body, with Content-Type ${BINARY_TYPES.join(', ')}`, {
      accepted: [...BINARY_TYPES],
    });
  }
  const header = req.headers['content-length'];
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && declared > opts.maxBytes) {
    throw new FleetyardError('FY_UPLOAD_TOO_LARGE', `${opts.field}: ${declared} bytes is more than the maximum of ${opts.maxBytes}`, {
      field: opts.field,
      maxBytes: opts.maxBytes,
    });
  }
  const raw = req.raw;
  const stream = detached(body);
  raw.setTimeout(opts.stallMs, () => {
    const stalled = Object.assign(new Error(`no data for ${Math.round(opts.stallMs / 1000)} s`), { code: 'ETIMEDOUT' });
    stream.destroy(stalled);
    raw.destroy(stalled);
  });
  return { stream, declaredBytes: declared !== null && Number.isSafeInteger(declared) ? declared : null };
}

/**
 * The body as a stream of its own: whoever reads it may destroy it (a pipeline does, when a
 * stage fails) without destroying the request, whose socket must still carry the answer that
 * says why. The request's own end, error or early close (the client went away) reach it.
 */
function detached(body: Readable): Readable {
  const out = new PassThrough();
  body.pipe(out);
  body.on('error', (e) => out.destroy(e));
  body.once('close', () => {
    if (!body.readableEnded) out.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  });
  out.once('close', () => body.unpipe(out));
  // A route may refuse the upload before reading it (FY_IMAGE_STATE): an error then has no
  // reader, and an 'error' nobody listens to would end the process. Readers (pipelines) hear it
  // through listeners of their own.
  out.on('error', () => undefined);
  return out;
}

/** Ends the stall watch of `uploadBody` (the socket may serve further requests). */
export function uploadDone(req: FastifyRequest): void {
  if (!req.raw.destroyed) req.raw.setTimeout(0);
}
