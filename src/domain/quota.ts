import { z } from 'zod';

/**
 * Limits per user and per group; null means unlimited. A request must fit both its user's and
 * its group's limits, counting everything the user (or group) holds or has been promised.
 */
export const quotaLimitsSchema = z.object({
  appliances: z.number().int().min(0).nullable(),
  cpu: z.number().int().min(0).nullable(),
  memoryMiB: z.number().int().min(0).nullable(),
  diskMiB: z.number().int().min(0).nullable(),
  ccuPerMonth: z.number().min(0).nullable(),
});
export type QuotaLimits = z.infer<typeof quotaLimitsSchema>;

export const UNLIMITED: QuotaLimits = { appliances: null, cpu: null, memoryMiB: null, diskMiB: null, ccuPerMonth: null };

export interface QuotaUsage {
  appliances: number;
  cpu: number;
  memoryMiB: number;
  diskMiB: number;
  ccuPerMonth: number;
}

export type QuotaHeadroom = { [K in keyof QuotaUsage]: number | null };

/** What is left under `limits` after `used` (null = unlimited). */
export function headroom(limits: QuotaLimits, used: QuotaUsage): QuotaHeadroom {
  const left = (limit: number | null, u: number) => (limit === null ? null : limit - u);
  return {
    appliances: left(limits.appliances, used.appliances),
    cpu: left(limits.cpu, used.cpu),
    memoryMiB: left(limits.memoryMiB, used.memoryMiB),
    diskMiB: left(limits.diskMiB, used.diskMiB),
    ccuPerMonth: left(limits.ccuPerMonth, used.ccuPerMonth),
  };
}

/** The first limit `want` would break, or null when it fits. */
export function quotaBreach(room: QuotaHeadroom, want: QuotaUsage): string | null {
  for (const k of Object.keys(want) as Array<keyof QuotaUsage>) {
    const r = room[k];
    if (r !== null && want[k] > r + 1e-9) return `${k}: asks ${want[k]}, ${Math.max(0, r)} left`;
  }
  return null;
}
