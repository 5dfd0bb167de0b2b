import { z } from 'zod';
import { metaSchema } from './meta.ts';

/**
 * A server root filesystem kept on a storage. Master images are imported; appliances get O(1)
 * clones of them (`parentId` names the master of a clone image).
 */
export const imageFormatSchema = z.enum(['rootfs-dir', 'qcow2', 'raw']);
export type ImageFormat = z.infer<typeof imageFormatSchema>;

export const imageSpecSchema = z.object({
  storageId: z.string(),
  format: imageFormatSchema,
  parentId: z.string().nullable(),
  /** The command an appliance runs when it names none (like an OCI image's Cmd). */
  command: z.array(z.string().max(4096)).max(64),
});

/**
 * `queued`: created, waiting for its data (an upload, or an import from a server path);
 * `importing`: the data is arriving, `importedBytes` of `expectedBytes` (when known) so far;
 * `ready`: unpacked and usable. An import that fails or is cut short (even by a crash: see
 * src/control-plane/import-recovery.ts) puts the image back to `queued`, with `message` saying why.
 */
export const imageStateSchema = z.enum(['queued', 'importing', 'ready', 'failed']);

export const imageStatusSchema = z.object({
  state: imageStateSchema,
  path: z.string().nullable(),
  sizeBytes: z.number().int().min(0),
  message: z.string().nullable(),
  /** Bytes of the source (as sent: compressed, if it was) read so far, or in all once ready. */
  importedBytes: z.number().int().min(0),
  /** The source's size when it was known beforehand (Content-Length, a file's size), else null. */
  expectedBytes: z.number().int().min(0).nullable(),
});

export const imageSchema = metaSchema.extend({ spec: imageSpecSchema, status: imageStatusSchema });
export type ImageSpec = z.infer<typeof imageSpecSchema>;
export type ImageStatus = z.infer<typeof imageStatusSchema>;
export type Image = z.infer<typeof imageSchema>;
