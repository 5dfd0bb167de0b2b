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

export const imageStatusSchema = z.object({
  state: z.enum(['importing', 'ready', 'failed']),
  path: z.string().nullable(),
  sizeBytes: z.number().int().min(0),
  message: z.string().nullable(),
});

export const imageSchema = metaSchema.extend({ spec: imageSpecSchema, status: imageStatusSchema });
export type ImageSpec = z.infer<typeof imageSpecSchema>;
export type ImageStatus = z.infer<typeof imageStatusSchema>;
export type Image = z.infer<typeof imageSchema>;
