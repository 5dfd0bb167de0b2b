import type { Appliance } from '../domain/appliance.ts';
import { antiAffinityHostIds, type GroupMember } from '../domain/placement-constraints.ts';
import type { PlacementRequest } from './placement.ts';

/** An appliance as its anti-affinity group sees it. */
export const groupMemberOf = (a: Appliance): GroupMember => ({
  id: a.id,
  ownerId: a.spec.ownerId,
  group: a.spec.placement?.antiAffinity ?? null,
  hostId: a.status.hostId,
});

/** Whether placing `a` needs the other appliances (to know where its anti-affinity group runs). */
export const needsGroupMembers = (a: Pick<Appliance, 'spec'>): boolean => Boolean(a.spec.placement?.antiAffinity);

/**
 * The part of a placement request that comes from the appliance's constraints: its policy, the
 * host labels it needs, and the hosts its anti-affinity group already runs on (from `members`, every appliance
 * or at least every one of its group).
 */
export function constraintsRequest(a: Appliance, members: Iterable<GroupMember>): Pick<PlacementRequest, 'hostLabels' | 'antiAffinity' | 'policy'> {
  const c = a.spec.placement;
  if (!c) return {};
  return {
    ...(c.policy ? { policy: c.policy } : {}),
    ...(Object.keys(c.hostLabels).length > 0 ? { hostLabels: c.hostLabels } : {}),
    ...(c.antiAffinity ? { antiAffinity: { group: c.antiAffinity, hostIds: antiAffinityHostIds(members, groupMemberOf(a)) } } : {}),
  };
}
