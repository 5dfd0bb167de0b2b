import { z } from 'zod';
import { metaSchema } from './meta.ts';

/** Where images live and how they are cloned: `local` is a data directory on the host. */
export const storageTypeSchema = z.enum(['local']);
export const storageSpecSchema = z.object({
  type: storageTypeSchema,
  path: z.string().min(1).max(4096),
});
export const storageStatusSchema = z.object({
  imageCount: z.number().int(),
});
export const storageSchema = metaSchema.extend({ spec: storageSpecSchema, status: storageStatusSchema });
export type StorageSpec = z.infer<typeof storageSpecSchema>;
export type Storage = z.infer<typeof storageSchema>;
