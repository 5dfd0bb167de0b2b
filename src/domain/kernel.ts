import { z } from 'zod';
import { metaSchema } from './meta.ts';

/** A boot kernel + initrd for VMs and network-booted machines. */
export const kernelSpecSchema = z.object({
  vmlinuzPath: z.string().min(1).max(4096),
  initrdPath: z.string().max(4096).nullable(),
  cmdline: z.string().max(4096),
});
export const kernelSchema = metaSchema.extend({ spec: kernelSpecSchema, status: z.object({}) });
export type KernelSpec = z.infer<typeof kernelSpecSchema>;
export type Kernel = z.infer<typeof kernelSchema>;
