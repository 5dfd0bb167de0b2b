import { z } from 'zod';
import { eventTypeSchema } from './event-types.ts';

/**
 * An immutable record of something that happened. Every state change writes one in the same
 * transaction as the change (the outbox), so the bus can never miss it. `seq` orders events.
 * Each type, its data and its owner are registered in `event-types.ts`; `ownerId` is the cloud
 * user the event belongs to (null: only admins see it).
 */
export const eventKindSchema = z.enum([
  'resource',
  'kernel',
  'image',
  'storage',
  'appliance',
  'network',
  'user',
  'group',
  'product',
  'config-group',
  'request',
  'billing',
  'mail',
  'join-token',
  'stack',
  'stack',
  /** The fleet's high availability as a whole (its N+1 tolerance); objectId `fleet`. */
  'ha',
]);
export type EventKind = z.infer<typeof eventKindSchema>;

export const eventSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  time: z.string(),
  type: eventTypeSchema,
  kind: eventKindSchema,
  objectId: z.string(),
  ownerId: z.string().nullable(),
  message: z.string(),
  /** Shaped as the type's entry in the registry says (docs/events.md). */
  data: z.record(z.string(), z.unknown()),
});
export type FleetyardEvent = z.infer<typeof eventSchema>;
