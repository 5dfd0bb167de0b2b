import { z } from 'zod';

/**
 * Fields every stored object has. `version` is the optimistic-concurrency counter (bumped on every
 * write); `generation` is bumped only when `spec` changes, and the owning reconciler copies it to
 * `status.observedGeneration` once it has acted on that spec.
 */
export const metaSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  generation: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Meta = z.infer<typeof metaSchema>;

export const virtualizationSchema = z.enum(['container', 'qemu', 'physical', 'sim']);
export type Virtualization = z.infer<typeof virtualizationSchema>;

/** Meta of an object about to be inserted: version and generation start at 1. */
export function freshMeta(id: string, name: string, now: Date): Meta {
  const t = now.toISOString();
  return { id, name, version: 1, generation: 1, createdAt: t, updatedAt: t };
}
