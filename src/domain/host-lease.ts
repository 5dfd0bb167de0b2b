import { z } from 'zod';

/**
 * A host's lease and fencing state, kept by the control plane's host failure detector
 * (src/ha/). The lease is renewed by each heartbeat the control plane acknowledges; when it
 * expires, a second signal is asked for before the host counts as failed, and a failed host is
 * fenced before any of its HA appliances starts elsewhere.
 *
 * - `live`: the lease is held;
 * - `expired`: no renewal for `durationMs`, second signals being asked (nothing acts yet);
 * - `unresponsive`: expired, but a second signal says the machine is up (BMC on, reachable
 *   from a peer): not failed, nothing is restarted;
 * - `fencing`: failed, being fenced;
 * - `fence-failed`: failed, no fencing method could confirm; its HA appliances wait
 *   (`waitingFor` says for what) until fencing succeeds or an admin confirms by hand;
 * - `fenced`: confirmed off (by its BMC or an admin); its appliances were restarted elsewhere
 *   or marked lost. When its agent comes back it rejoins empty, and the lease is `live` again.
 *
 * `epoch` grows by one at every fencing: every command carries its host's epoch, and an agent
 * whose epoch differs refuses to start anything.
 */
export const hostLeaseStateSchema = z.enum(['live', 'expired', 'unresponsive', 'fencing', 'fence-failed', 'fenced']);
export type HostLeaseState = z.infer<typeof hostLeaseStateSchema>;

export const hostSignalsSchema = z.object({
  /** What the host's BMC said when asked last: `none` when the host has no BMC. */
  bmc: z.enum(['on', 'off', 'unreachable', 'none']).nullable(),
  /** Whether other hosts' agents could reach this host's address when asked last. */
  peers: z.array(z.object({ hostId: z.string(), reachable: z.boolean() })),
  checkedAt: z.string().nullable(),
});

export const hostLeaseSchema = z.object({
  state: hostLeaseStateSchema,
  durationMs: z.number().int().positive(),
  /** When the lease runs out unless renewed (the last acknowledged heartbeat + durationMs). */
  expiresAt: z.string().nullable(),
  epoch: z.number().int().min(0),
  /** When `state` was entered. */
  since: z.string(),
  signals: hostSignalsSchema,
  /** How the last fencing was confirmed. */
  fencedBy: z.enum(['bmc', 'admin']).nullable(),
  /** Said while something waits: what it waits for, in words. */
  waitingFor: z.string().nullable(),
});
export type HostLease = z.infer<typeof hostLeaseSchema>;
