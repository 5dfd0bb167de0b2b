import { z } from 'zod';

/**
 * An immutable record of something that happened. Every state change writes one in the same
 * transaction as the change (the outbox), so the bus can never miss it. `seq` orders events.
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
  'request',
  'billing',
  'mail',
  'join-token',
  'stack',
]);
export type EventKind = z.infer<typeof eventKindSchema>;

export const eventSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  time: z.string(),
  type: z.string(),
  kind: eventKindSchema,
  objectId: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type FleetyardEvent = z.infer<typeof eventSchema>;

/** An event before the store has given it a sequence number. */
export type NewEvent = Omit<FleetyardEvent, 'seq' | 'id' | 'time'>;
