import { z } from 'zod';
import { metaSchema, virtualizationSchema } from './meta.ts';

/**
 * A cloud user's order: a product in a size, a quantity, a time window. Its lifecycle is
 * openQRM's, made explicit:
 *
 *   new → approved → provisioning → active → deprovisioning → done
 *          ↘ denied   ↘ no-capacity   ↘ failed        ↕ paused
 *
 * Every state is entered with a reason. The user and the admin write `spec` (what is wanted:
 * the window, a decision, pause, cancel); only the request reconciler writes `status`.
 */
export const requestStateSchema = z.enum([
  'new',
  'approved',
  'provisioning',
  'active',
  'paused',
  'deprovisioning',
  'done',
  'denied',
  'failed',
  'no-capacity',
]);
export type RequestState = z.infer<typeof requestStateSchema>;

export const TERMINAL_STATES: ReadonlySet<RequestState> = new Set(['done', 'denied', 'failed', 'no-capacity']);

export const decisionSchema = z.object({
  approved: z.boolean(),
  /** 'policy' for an automatic decision, else the admin's user id. */
  by: z.string(),
  comment: z.string().max(2000),
  at: z.string(),
});
export type Decision = z.infer<typeof decisionSchema>;

export const requestSpecSchema = z.object({
  ownerId: z.string(),
  productId: z.string(),
  size: z.string(),
  quantity: z.number().int().min(1).max(64),
  virtualization: virtualizationSchema,
  ha: z.boolean(),
  startAt: z.string(),
  endAt: z.string(),
  decision: decisionSchema.nullable(),
  paused: z.boolean(),
  cancelled: z.boolean(),
});
export type RequestSpec = z.infer<typeof requestSpecSchema>;

export const requestStatusSchema = z.object({
  state: requestStateSchema,
  reason: z.string().nullable(),
  observedGeneration: z.number().int(),
  ccuPerHour: z.number(),
  applianceIds: z.array(z.string()),
  /** The login created in each appliance (never the password). */
  login: z.object({ user: z.string(), method: z.enum(['ssh-key', 'password']) }).nullable(),
  activeSince: z.string().nullable(),
  history: z.array(z.object({ state: requestStateSchema, at: z.string(), reason: z.string().nullable() })).max(200),
});
export type RequestStatus = z.infer<typeof requestStatusSchema>;

export const cloudRequestSchema = metaSchema.extend({ spec: requestSpecSchema, status: requestStatusSchema });
export type CloudRequest = z.infer<typeof cloudRequestSchema>;

export const INITIAL_REQUEST_STATUS: RequestStatus = {
  state: 'new',
  reason: 'submitted',
  observedGeneration: 0,
  ccuPerHour: 0,
  applianceIds: [],
  login: null,
  activeSince: null,
  history: [],
};

/** Label on appliances made for a request, so an appliance's events wake its request. */
export const REQUEST_LABEL = 'fleetyard.io/request';
