import { FleetyardError } from '../domain/errors.ts';
import { isHost } from '../domain/host.ts';
import type { Resource } from '../domain/resource.ts';
import type { Store } from '../store/store.ts';
import { leaseOf, transitionLease } from './host-lease-writes.ts';

/**
 * An admin's word that a host is off (`fleetyard host fence-confirm`): for a host whose BMC
 * cannot confirm a fence (dead, unreachable, none). It is refused for a host that holds its
 * lease. It counts as a fence: the epoch moves on, the host's HA appliances restart elsewhere,
 * and the audit event names who confirmed it.
 */
export async function confirmFencedByHand(store: Store, hostId: string, actorId: string | null, leaseMs: number): Promise<Resource> {
  const host = await store.read.resources.get(hostId);
  if (!host || !isHost(host)) throw new FleetyardError('FY_NOT_FOUND', `host ${hostId} not found`);
  const lease = leaseOf(host, leaseMs);
  if (lease.state === 'fenced') return host;
  if (lease.state === 'live') {
    throw new FleetyardError('FY_HOST_NOT_FAILED', `host ${host.name} holds its lease (until ${lease.expiresAt ?? '?'}): it is not failed, so it cannot be confirmed fenced`, { field: 'id' });
  }
  const written = await transitionLease(store, hostId, leaseMs, {
    from: ['expired', 'unresponsive', 'fencing', 'fence-failed'],
    patch: (l) => ({ state: 'fenced', epoch: l.epoch + 1, fencedBy: 'admin', waitingFor: null }),
    event: (h, l) => ({
      type: 'host.fence-confirmed',
      message: `host ${h.name} confirmed fenced by hand; fencing epoch ${l.epoch}; its HA appliances restart elsewhere`,
      data: { epoch: l.epoch, actorId },
    }),
  });
  if (!written) throw new FleetyardError('FY_VERSION_CONFLICT', `host ${host.name} changed meanwhile; look at it again`);
  return written;
}
