import { z } from 'zod';
import { metaSchema, virtualizationSchema } from './meta.ts';
import { nameSchema } from './names.ts';

/**
 * What cloud users may order, defined by an admin: an appliance profile (image, kernel, the
 * sizes on offer, the virtualization types, whether HA may be asked for).
 */
export const sizeSchema = z.object({
  name: nameSchema,
  cpu: z.number().int().min(1).max(256),
  memoryMiB: z.number().int().min(16).max(1_048_576),
  diskMiB: z.number().int().min(0).max(16_777_216),
});
export type Size = z.infer<typeof sizeSchema>;

export const productSpecSchema = z.object({
  description: z.string().max(2000),
  imageId: z.string(),
  kernelId: z.string().nullable(),
  sizes: z.array(sizeSchema).min(1).max(32),
  virtualizations: z.array(virtualizationSchema).min(1),
  haAllowed: z.boolean(),
  enabled: z.boolean(),
});
export type ProductSpec = z.infer<typeof productSpecSchema>;

export const productSchema = metaSchema.extend({ spec: productSpecSchema, status: z.object({}) });
export type Product = z.infer<typeof productSchema>;
