import { z } from 'zod';
import { labelsSchema } from './names.ts';

/**
 * Where an appliance may run, beyond its requirements, honoured by every placement: the first
 * start, a move, a restart elsewhere and the failover of a failed host (and so the N+1 plan).
 *
 * - `hostLabels`: the host must carry each of these labels with this value (the admin labels hosts
 *   with `fleetyard host label`), like Kubernetes' nodeSelector or OpenNebula's host requirements;
 * - `antiAffinity`: a group name. No two appliances of the same owner in the same group share a
 *   host, so the failure of one host takes at most one of them. The rule is hard: an appliance
 *   that finds no host without a member of its group waits, pending, with the reason.
 *
 * Groups are per owner: one tenant's group names never constrain another tenant's appliances.
 * - `policy`: how the hosts that fit are ranked (below).
 */
export const ANTI_AFFINITY_GROUP = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * How the scheduler ranks the hosts that fit (src/scheduler/pipeline.ts): `spread` (most room left,
 * the default), `pack` (least room left: fewest hosts in use) or `energy-aware` (hosts already on
 * first, then as pack). The installation chooses one (FLEETYARD_PLACEMENT_POLICY); a product or
 * an appliance may name its own.
 */
export const PLACEMENT_POLICIES = ['spread', 'pack', 'energy-aware'] as const;
export const placementPolicySchema = z.enum(PLACEMENT_POLICIES);
export type PlacementPolicy = z.infer<typeof placementPolicySchema>;

export const placementConstraintsSchema = z.object({
  hostLabels: labelsSchema,
  antiAffinity: z.string().regex(ANTI_AFFINITY_GROUP).nullable(),
  /** Its own ranking policy; absent or null: the product's, else the installation's. */
  policy: placementPolicySchema.nullable().optional(),
});
export type PlacementConstraints = z.infer<typeof placementConstraintsSchema>;

export const NO_CONSTRAINTS: PlacementConstraints = { hostLabels: {}, antiAffinity: null };

/** Labels under this prefix are Fleetyard's own; an admin's host labels may not use it. */
export const RESERVED_LABEL_PREFIX = 'fleetyard.io/';

/** True when `labels` has every label of `wanted` with the same value. */
export function hasLabels(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/** `k=v,k2=v2`, sorted: how a label selector is written in messages and the CLI. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** An appliance as anti-affinity sees it: who owns it, its group, and the host it is on. */
export interface GroupMember {
  id: string;
  ownerId: string | null;
  group: string | null;
  hostId: string | null;
}

/**
 * The hosts that already run a member of `a`'s anti-affinity group (another appliance of the same
 * owner and group, placed on a host). Empty when `a` has no group.
 */
export function antiAffinityHostIds(members: Iterable<GroupMember>, a: Pick<GroupMember, 'id' | 'ownerId' | 'group'>): string[] {
  if (!a.group) return [];
  const hosts = new Set<string>();
  for (const m of members) {
    if (m.id !== a.id && m.group === a.group && m.ownerId === a.ownerId && m.hostId) hosts.add(m.hostId);
  }
  return [...hosts].sort();
}
