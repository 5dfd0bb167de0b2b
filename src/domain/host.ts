import type { Resource } from './resource.ts';
import type { Virtualization } from './meta.ts';
import { hostIsAsleep } from './host-power.ts';
export { hostLeaseSchema, hostLeaseStateSchema, type HostLease, type HostLeaseState } from './host-lease.ts';

/**
 * A host is a resource that offers virtualization and runs the Fleetyard agent. It is not a
 * separate table: it is a resource whose `spec.virtualizations` is non-empty. Its heartbeat
 * (`status.lastHeartbeatAt`) renews its lease; the facts its agent fingerprinted live in
 * `status.facts`.
 */
export type Host = Resource & { spec: Resource['spec'] & { virtualizations: [Virtualization, ...Virtualization[]] } };

export function isHost(r: Resource): r is Host {
  return r.spec.virtualizations.length > 0;
}

/** Default lease length: a host that has not heartbeated for this long is no longer offered work. */
export const HOST_LEASE_MS = 10_000;

/**
 * A host may be given work: its lease is held (not expired, not being fenced, not fenced) and the
 * power manager has not put it to sleep.
 */
export function hostIsLive(h: Resource, now: Date): boolean {
  if (!h.status.lastHeartbeatAt || hostIsAsleep(h)) return false;
  const lease = h.status.lease;
  if (lease && lease.state !== 'live') return false;
  return now.getTime() - Date.parse(h.status.lastHeartbeatAt) < (lease?.durationMs ?? HOST_LEASE_MS);
}

/** Facts an agent reports about its machine. */
export interface HostFacts {
  hostname: string;
  cpu: number;
  cpuModel: string;
  memoryMiB: number;
  diskMiB: number;
  kernel: string;
  virtualizations: Virtualization[];
  agentVersion: string;
  /** The agent's public key for secrets sealed to it (src/agent/transit-key.ts). */
  transitKey?: string;
  /** Where other hosts' agents can test that this host is reachable (FLEETYARD_AGENT_PROBE_LISTEN). */
  probe?: { address: string; port: number };
  /** Its address on the network between hosts, which carries networks that span hosts (VXLAN). */
  underlayAddress?: string;
}
