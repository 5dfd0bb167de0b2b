import { z } from 'zod';
import { labelsSchema } from './names.ts';
import { metaSchema, virtualizationSchema } from './meta.ts';
import { healthChecksSchema } from './health-check.ts';
import { placementConstraintsSchema } from './placement-constraints.ts';
import { appliedConfigSchema, configGroupNamesSchema } from './config-group.ts';

/**
 * An appliance is kernel + image + requirements + the resource it runs on: the unit users deploy.
 * The API writes `spec` (what is wanted); only the appliance reconciler writes `status`.
 */
export const requirementsSchema = z.object({
  cpu: z.number().int().min(1).max(256),
  memoryMiB: z.number().int().min(16).max(1_048_576),
  diskMiB: z.number().int().min(0).max(16_777_216),
  pids: z.number().int().min(8).max(1_000_000),
  virtualization: z.union([virtualizationSchema, z.literal('any')]),
});
export type Requirements = z.infer<typeof requirementsSchema>;

export const DEFAULT_REQUIREMENTS: Requirements = {
  cpu: 1,
  memoryMiB: 64,
  diskMiB: 0,
  pids: 256,
  virtualization: 'any',
};

export const desiredStateSchema = z.enum(['running', 'stopped']);
export type DesiredState = z.infer<typeof desiredStateSchema>;

export const applianceSpecSchema = z.object({
  /** The user the appliance belongs to; cloud users see only their own. */
  ownerId: z.string().nullable(),
  imageId: z.string(),
  kernelId: z.string().nullable(),
  requirements: requirementsSchema,
  command: z.array(z.string().max(4096)).max(64).nullable(),
  hostname: z.string(),
  network: z.string(),
  /** Further networks, one interface each after the first (`network`, the default route), in order. */
  moreNetworks: z.array(z.string()).max(7).optional(),
  ha: z.boolean(),
  labels: labelsSchema,
  desiredState: desiredStateSchema,
  /** Capacity promised by a cloud request: the appliance goes to this host, already counted. */
  reservation: z.object({ id: z.string(), hostId: z.string() }).nullable(),
  /**
   * The login to create inside the appliance before it is reported running. The password is
   * sealed with the installation's secret key; it is never stored or returned in clear.
   */
  login: z
    .object({ user: z.string(), sshPublicKey: z.string().nullable(), passwordSealed: z.string().nullable() })
    .nullable(),
  /** A move to another virtualization type, asked for by the API and carried out once (by id). */
  move: z.object({ id: z.string(), to: virtualizationSchema, requestedAt: z.string() }).nullable().optional(),
  /** Health checks the agent of its host runs (src/domain/health-check.ts). */
  checks: healthChecksSchema.optional(),
  /** Host labels it needs and its anti-affinity group (src/domain/placement-constraints.ts). */
  placement: placementConstraintsSchema.optional(),
  /** Configuration groups applied after it boots, in order (src/domain/config-group.ts). */
  configGroups: configGroupNamesSchema.optional(),
  /**
   * A restart asked for by the restart policy of an HA appliance whose check turned hard
   * CRITICAL: in place (stop and start on the same host) or elsewhere (placed avoiding its host).
   * Carried out once, by id, like `move`.
   */
  restart: z
    .object({ id: z.string(), elsewhere: z.boolean(), reason: z.string(), requestedAt: z.string() })
    .nullable()
    .optional(),
});
export type ApplianceSpec = z.infer<typeof applianceSpecSchema>;

export const appliancePhaseSchema = z.enum([
  'pending',
  'starting',
  'running',
  'stopping',
  'stopped',
  'failed',
  'deleting',
  'moving',
  /** Its host failed and it is not HA: not restarted; `message` says why. A new spec starts it afresh. */
  'lost',
]);
export type AppliancePhase = z.infer<typeof appliancePhaseSchema>;

/**
 * The failures of the current spec, kept by the appliance reconciler: how often it has failed, the
 * last error and when it tries again. Its own status events never bring the next attempt
 * forward; a new spec (a new generation: start, stop, move) or a deletion starts afresh. A failure
 * that waits for another object (a kernel, a server's BMC) has no next attempt: it is tried again
 * when an object of that kind changes.
 */
export const applianceRetrySchema = z.object({
  attempts: z.number().int().min(1),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string(),
  generation: z.number().int(),
  deleting: z.boolean(),
  waitingFor: z.enum(['kernel', 'resource']).nullable(),
});
export type ApplianceRetry = z.infer<typeof applianceRetrySchema>;

export const applianceStatusSchema = z.object({
  phase: appliancePhaseSchema,
  observedGeneration: z.number().int(),
  virtualization: virtualizationSchema.nullable(),
  hostId: z.string().nullable(),
  resourceId: z.string().nullable(),
  address: z.string().nullable(),
  message: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** Driver-specific handle (a runc container id, a QMP socket …); opaque to everything else. */
  handle: z.record(z.string(), z.unknown()),
  /** The outcome of the last move (spec.move), so each one is carried out once. */
  lastMove: z
    .object({
      id: z.string(),
      from: virtualizationSchema.nullable(),
      to: virtualizationSchema,
      outcome: z.enum(['moved', 'rolled-back', 'rollback-failed']),
      reason: z.string().nullable(),
    })
    .nullable()
    .optional(),
  retry: applianceRetrySchema.nullable().optional(),
  /** Its address on each of `spec.moreNetworks`, in the same order (the first network's is `address`). */
  moreAddresses: z.array(z.string()).optional(),
  /** Its IPv6 address on its first network, when that network has an IPv6 pool. */
  address6: z.string().nullable().optional(),
  /**
   * Its IPv6 address on each of `spec.moreNetworks`, in the same order: null on one with no IPv6
   * pool; absent when none of them has one.
   */
  moreAddresses6: z.array(z.string().nullable()).optional(),
  /** What applying each of its configuration groups last did, in order (src/domain/config-group.ts). */
  config: z.array(appliedConfigSchema).optional(),
  /**
   * The fencing epoch of its host when it was placed there (src/domain/host-lease.ts): a host
   * whose epoch has moved on since was fenced, and the appliance no longer runs there.
   */
  hostEpoch: z.number().int().min(0).optional(),
  /** The outcome of the last restart (spec.restart), so each one is carried out once. */
  lastRestart: z
    .object({
      id: z.string(),
      elsewhere: z.boolean(),
      outcome: z.enum(['restarted', 'relocated', 'stayed']),
      fromHostId: z.string().nullable(),
      hostId: z.string().nullable(),
      reason: z.string(),
      at: z.string(),
    })
    .nullable()
    .optional(),
  /** When the recent restarts happened (the last 10), which the restart policy's limits count. */
  restarts: z.array(z.object({ at: z.string(), elsewhere: z.boolean() })).max(10).optional(),
});
export type ApplianceStatus = z.infer<typeof applianceStatusSchema>;

/**
 * Where the appliance is reached on its first network: its IPv4 address, or its IPv6 one on an
 * IPv6-only network; null before placement gave it one.
 */
export function reachableAddress(a: { status: Pick<ApplianceStatus, 'address' | 'address6'> }): string | null {
  return a.status.address ?? a.status.address6 ?? null;
}

export const applianceSchema = metaSchema.extend({
  spec: applianceSpecSchema,
  status: applianceStatusSchema,
  /** Set when deletion was asked for; the row goes once every finalizer has run. */
  deletionRequestedAt: z.string().nullable(),
  finalizers: z.array(z.string()),
});
export type Appliance = z.infer<typeof applianceSchema>;

export const INITIAL_APPLIANCE_STATUS: ApplianceStatus = {
  phase: 'pending',
  observedGeneration: 0,
  virtualization: null,
  hostId: null,
  resourceId: null,
  address: null,
  message: null,
  startedAt: null,
  handle: {},
};

/** Finalizer the appliance reconciler sets: runtime, clone and address must be released first. */
export const RELEASE_FINALIZER = 'fleetyard.io/release';
