import { z } from 'zod';
import { placementPolicySchema } from './placement-constraints.ts';
import { metaSchema, virtualizationSchema } from './meta.ts';
import { nameSchema } from './names.ts';
import { configGroupNamesSchema } from './config-group.ts';

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
  /** Configuration groups every appliance of the product gets (src/domain/config-group.ts). */
  configGroups: configGroupNamesSchema.optional(),
  /**
   * Whose private network the product's appliances join: one per cloud user (the default) or one
   * per group of the ordering user.
   */
  privateNetwork: z.enum(['user', 'group']).optional(),
  /** How its units' hosts are chosen (src/domain/placement-constraints.ts); absent or null: the installation's. */
  placementPolicy: placementPolicySchema.nullable().optional(),
});
export type ProductSpec = z.infer<typeof productSpecSchema>;

export const productSchema = metaSchema.extend({ spec: productSpecSchema, status: z.object({}) });
export type Product = z.infer<typeof productSchema>;
