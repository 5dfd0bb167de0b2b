import { z } from 'zod';

/**
 * A host's place in the power manager's plan (Green IT, src/power/): kept only for hosts the
 * manager has acted on. A host without it, or `awake`, is on and may be given work.
 *
 * - `awake`: on, offered work;
 * - `powering-off`: chosen to sleep; offered no work while its power-off is tried (a BMC error
 *   keeps it here, retried with backoff, never powered on again just because the off failed);
 * - `off`: its BMC confirmed the power off; it is no failed host (its lease runs out unheeded);
 * - `powering-on`: woken (its power-on was sent); its first heartbeat makes it `awake` again and
 *   measures `bootMs`.
 *
 * `offMs` is the time it has spent asleep in all (from the confirmed off to the wake), the energy
 * the manager saved; `failures`/`nextTryAt`/`lastError` are its BMC's record since the last
 * success.
 */
export const hostPowerStateSchema = z.enum(['awake', 'powering-off', 'off', 'powering-on']);
export type HostPowerState = z.infer<typeof hostPowerStateSchema>;

export const hostPowerSchema = z.object({
  state: hostPowerStateSchema,
  /** When `state` was entered. */
  since: z.string(),
  /** Why the manager put it in this state, in words. */
  reason: z.string(),
  offMs: z.number().int().min(0),
  /** From the power-on sent to the first heartbeat, the last time it was woken. */
  bootMs: z.number().int().min(0).nullable(),
  failures: z.number().int().min(0),
  nextTryAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** A host without a BMC: when its agent accepted to shut it down (it is off once its heartbeats stop). */
  shutdownAt: z.string().nullable().optional(),
});
export type HostPower = z.infer<typeof hostPowerSchema>;

export const AWAKE: Omit<HostPower, 'since' | 'reason'> = { state: 'awake', offMs: 0, bootMs: null, failures: 0, nextTryAt: null, lastError: null };

/** A host the power manager has taken out of service to save energy (not awake). */
export function hostIsAsleep(h: { status: { power?: HostPower | undefined } }): boolean {
  const s = h.status.power?.state;
  return s !== undefined && s !== 'awake';
}
