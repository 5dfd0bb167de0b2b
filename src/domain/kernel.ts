import { z } from 'zod';
import { metaSchema } from './meta.ts';

/**
 * A boot kernel + initrd for VMs and network-booted machines. Its files live only in Fleetyard's
 * kernel store (`STORAGE/kernels/<id>/`): they are uploaded, or copied in from an import
 * directory, and the paths here always point into the store (null until the file is there).
 * A kernel is `ready` once its vmlinuz is in the store; `unusable` marks a kernel registered by a
 * server path before the store existed (migration 008), until its files are uploaded again.
 */
export const kernelSpecSchema = z.object({
  vmlinuzPath: z.string().min(1).max(4096).nullable(),
  initrdPath: z.string().max(4096).nullable(),
  cmdline: z.string().max(4096),
});
export const kernelStateSchema = z.enum(['queued', 'ready', 'unusable']);
export const kernelStatusSchema = z.object({
  state: kernelStateSchema,
  message: z.string().nullable(),
  vmlinuzBytes: z.number().int().min(0).nullable(),
  initrdBytes: z.number().int().min(0).nullable(),
});
export const kernelSchema = metaSchema.extend({ spec: kernelSpecSchema, status: kernelStatusSchema });
export type KernelSpec = z.infer<typeof kernelSpecSchema>;
export type KernelStatus = z.infer<typeof kernelStatusSchema>;
export type Kernel = z.infer<typeof kernelSchema>;

/** The files of a kernel, as they are named in the store and in the upload routes. */
export const KERNEL_FILES = ['vmlinuz', 'initrd'] as const;
export type KernelFile = (typeof KERNEL_FILES)[number];
