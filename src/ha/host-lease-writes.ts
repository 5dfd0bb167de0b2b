import { FleetyardError } from '../domain/errors.ts';
import type { EventType, NewEvent } from '../domain/event-types.ts';
import type { HostLease, HostLeaseState } from '../domain/host-lease.ts';
import type { Resource } from '../domain/resource.ts';
import type { Repos, Store } from '../store/store.ts';

/** A host's lease as stored, or the one it holds by default (before any state was written). */
export function leaseOf(host: Resource, durationMs: number): HostLease {
  const hb = host.status.lastHeartbeatAt;
  return (
    host.status.lease ?? {
      state: 'live',
      durationMs,
      expiresAt: hb ? new Date(Date.parse(hb) + durationMs).toISOString() : null,
      epoch: 0,
      since: hb ?? new Date(0).toISOString(),
      signals: { bmc: null, peers: [], checkedAt: null },
      fencedBy: null,
      waitingFor: null,
    }
  );
}

/** When the lease runs out: the last heartbeat plus its duration. */
export function leaseExpiry(host: Resource, durationMs: number): number | null {
  const hb = host.status.lastHeartbeatAt;
  return hb ? Date.parse(hb) + (host.status.lease?.durationMs ?? durationMs) : null;
}

export interface LeaseTransition {
  /** The states the host must be in for the change to apply; otherwise nothing is written. */
  from: readonly HostLeaseState[];
  patch: (lease: HostLease, host: Resource) => Partial<HostLease>;
  /** The event of the change (`host` as it was, `lease` as it becomes); undefined: none. */
  event?: (host: Resource, lease: HostLease) => { type: EventType; message: string; data: Record<string, unknown> } | undefined;
}

/**
 * Moves a host's lease from one state to another in one versioned write with its event. The host
 * is re-read inside the transaction: if its state is no longer one of `from` (a heartbeat came,
 * another control plane acted), nothing is written and null is returned. Two writers racing on
 * one host conflict on its version; the loser gets null too.
 */
export async function transitionLease(store: Store, hostId: string, durationMs: number, t: LeaseTransition): Promise<Resource | null> {
  try {
    return await store.transaction((tx) => transitionIn(tx, store.clock.now(), hostId, durationMs, t));
  } catch (e) {
    if (e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') return null;
    throw e;
  }
}

export async function transitionIn(tx: Repos, now: Date, hostId: string, durationMs: number, t: LeaseTransition): Promise<Resource | null> {
  const host = await tx.resources.get(hostId);
  if (!host) return null;
  const lease = leaseOf(host, durationMs);
  if (!t.from.includes(lease.state)) return null;
  const patch = t.patch(lease, host);
  const next: HostLease = { ...lease, ...patch, ...(patch.state && patch.state !== lease.state ? { since: now.toISOString() } : {}) };
  const written = await tx.resources.update({ ...host, status: { ...host.status, lease: next } }, now);
  const event = t.event?.(host, next);
  if (event) await tx.emit({ type: event.type, kind: 'resource', objectId: host.id, message: event.message, data: event.data } as NewEvent);
  return written;
}
