import { z } from 'zod';
import { requestStateSchema } from './cloud-request.ts';
import { appliancePhaseSchema } from './appliance.ts';
import { virtualizationSchema } from './meta.ts';
import { sizeSchema } from './product.ts';

/**
 * What the stack routes answer: the stored stack, its instances and the plan that compares a
 * document with what runs now. Pure zod like stack.ts, so the web console can import the types.
 *
 * An instance is one unit of a member (`ordinal` 1..count). For a cloud user it is carried by a
 * cloud request of quantity 1; for an admin by an appliance the stack made directly.
 */
export const stackInstanceKindSchema = z.enum(['request', 'appliance']);
export type StackInstanceKind = z.infer<typeof stackInstanceKindSchema>;

export const stackRecordSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    ownerId: z.string(),
    /** Moves each time an apply changes the document; pass it back to apply to refuse a lost update. */
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StackRecord' });
export type StackRecord = z.infer<typeof stackRecordSchema>;

/** One instance as the store ties it to the stack (see migration 011). */
export interface StackInstance {
  stackId: string;
  member: string;
  ordinal: number;
  kind: StackInstanceKind;
  objectId: string;
  productId: string;
  createdAt: string;
}

/** What carries an instance now: its request or appliance and the state it is in. */
export const instanceObjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** A request's state or an appliance's phase. */
  state: z.union([requestStateSchema, appliancePhaseSchema]),
  reason: z.string().nullable(),
  applianceIds: z.array(z.string()),
  address: z.string().nullable(),
});
export type InstanceObject = z.infer<typeof instanceObjectSchema>;

export const stackActionSchema = z.enum(['create', 'keep', 'change', 'remove']);
export type StackAction = z.infer<typeof stackActionSchema>;

export const memberFieldSchema = z.enum(['product', 'size', 'virtualization', 'network', 'ha']);
export type MemberField = z.infer<typeof memberFieldSchema>;

export const fieldChangeSchema = z.object({
  field: memberFieldSchema,
  from: z.union([z.string(), z.boolean()]).nullable(),
  to: z.union([z.string(), z.boolean()]).nullable(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** A member with every default filled in from the catalog. */
export const resolvedMemberSchema = z.object({
  name: z.string(),
  product: z.string(),
  productId: z.string(),
  /** The product's image, so a client can show what the member runs. */
  image: z.object({ id: z.string(), name: z.string() }),
  kernelId: z.string().nullable(),
  size: sizeSchema,
  virtualization: virtualizationSchema,
  network: z.string(),
  moreNetworks: z.array(z.string()).optional(),
  ha: z.boolean(),
  count: z.number().int(),
  /** The billing quote of all `count` instances. */
  ccuPerHour: z.number(),
});
export type ResolvedMember = z.infer<typeof resolvedMemberSchema>;

export const plannedInstanceSchema = z.object({
  member: z.string(),
  ordinal: z.number().int(),
  action: stackActionSchema,
  /** How a change is carried out: `move` in place (an admin's virtualization change) or `replace` (remove, then create). */
  how: z.enum(['move', 'replace']).nullable(),
  kind: stackInstanceKindSchema,
  /** What carries the instance now; null when it is to be created. */
  current: instanceObjectSchema.nullable(),
  changes: z.array(fieldChangeSchema),
  /** The quote of the instance after the plan (0 for a removal). */
  ccuPerHour: z.number(),
});
export type PlannedInstance = z.infer<typeof plannedInstanceSchema>;

const headroomSchema = z.object({
  appliances: z.number().nullable(),
  cpu: z.number().nullable(),
  memoryMiB: z.number().nullable(),
  diskMiB: z.number().nullable(),
  ccuPerMonth: z.number().nullable(),
});

export const stackPlanSchema = z
  .object({
    stack: z.object({
      name: z.string(),
      ownerId: z.string(),
      /** Null until the stack is first applied. */
      id: z.string().nullable(),
      version: z.number().int().nullable(),
    }),
    /** The planned document in its canonical form. */
    yaml: z.string(),
    /** Cloud users' stacks order requests; admins' make appliances. */
    mode: z.enum(['requests', 'appliances']),
    /** The window of the requests it would create (cloud users only). */
    window: z.object({ startAt: z.string(), endAt: z.string() }).nullable(),
    members: z.array(resolvedMemberSchema),
    links: z.array(z.object({ from: z.string(), to: z.string() })),
    instances: z.array(plannedInstanceSchema),
    summary: z.object({ create: z.number().int(), keep: z.number().int(), change: z.number().int(), remove: z.number().int() }),
    /** False when applying would change nothing. */
    changes: z.boolean(),
    price: z.object({
      /** The whole stack after the plan. */
      ccuPerHour: z.number(),
      /** What the stack's live instances cost now. */
      currentCcuPerHour: z.number(),
      changeCcuPerHour: z.number(),
      /** What the created requests cost over their window (cloud users only). */
      createdTotalCcu: z.number().nullable(),
      currency: z.object({ code: z.string(), ccuPerUnit: z.number(), perHour: z.number() }),
    }),
    /** Null for admins, whom no quota bounds. */
    quota: z.object({ user: headroomSchema, group: headroomSchema.nullable(), fits: z.boolean(), breach: z.string().nullable() }).nullable(),
    capacity: z.object({ fits: z.boolean(), reason: z.string().nullable() }),
    fits: z.boolean(),
    /** Why it does not fit, one line per reason. */
    reasons: z.array(z.string()),
  })
  .meta({ id: 'StackPlan' });
export type StackPlan = z.infer<typeof stackPlanSchema>;

export const stackMemberStateSchema = z.object({
  member: z.string(),
  ordinal: z.number().int(),
  kind: stackInstanceKindSchema,
  /** Null when the object is gone (an admin deleted it, or its request ended). */
  object: instanceObjectSchema.nullable(),
});
export type StackMemberState = z.infer<typeof stackMemberStateSchema>;

export const stackDetailSchema = stackRecordSchema
  .extend({
    yaml: z.string(),
    instances: z.array(stackMemberStateSchema),
  })
  .meta({ id: 'StackDetail' });
export type StackDetail = z.infer<typeof stackDetailSchema>;

export const stackListItemSchema = stackRecordSchema.extend({ instances: z.number().int() }).meta({ id: 'StackListItem' });
export type StackListItem = z.infer<typeof stackListItemSchema>;

export const stackApplyResultSchema = z
  .object({
    stack: stackRecordSchema,
    plan: stackPlanSchema,
    /** What the apply did, per instance it touched: the object it created, moved or removed. */
    done: z.array(z.object({ member: z.string(), ordinal: z.number().int(), action: stackActionSchema, kind: stackInstanceKindSchema, id: z.string() })),
  })
  .meta({ id: 'StackApplyResult' });
export type StackApplyResult = z.infer<typeof stackApplyResultSchema>;

export const stackDeleteResultSchema = z
  .object({
    stack: stackRecordSchema,
    removed: z.array(z.object({ member: z.string(), ordinal: z.number().int(), kind: stackInstanceKindSchema, id: z.string() })),
  })
  .meta({ id: 'StackDeleteResult' });
export type StackDeleteResult = z.infer<typeof stackDeleteResultSchema>;
