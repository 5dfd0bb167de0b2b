import type { Requirements } from '../domain/appliance.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Capacity, Resource } from '../domain/resource.ts';

/**
 * Placement as a pure function: a read-only snapshot in, a plan out. It touches no store and no
 * clock of its own, so it is tested with plain data; the planner that calls it re-checks the plan
 * inside the committing transaction (see reconcile/placement-planner.ts).
 *
 * First version: filter the live hosts that offer the virtualization and have room, then rank by
 * free memory (spread), preferring the host that already holds the appliance's clone.
 */
export interface PlacementSnapshot {
  now: Date;
  hosts: Resource[];
  /** Virtual resources (slots) already placed, each with its hostId and capacity in use. */
  slots: Resource[];
  /** CPUs a host offers per physical core (containers share cores; 16 is OpenStack's default). */
  cpuAllocationRatio: number;
}

export interface PlacementRequest {
  requirements: Requirements;
  preferHostId: string | null;
}

export type Plan =
  | { fits: true; hostId: string; virtualization: Virtualization }
  | { fits: false; reason: string };

/** Preference when an appliance accepts any virtualization: the cheapest to start first. */
const PREFERENCE: Virtualization[] = ['container', 'qemu', 'physical', 'sim'];

export function freeCapacity(host: Resource, slots: Resource[], cpuAllocationRatio: number): Capacity {
  const used = slots
    .filter((s) => s.spec.hostId === host.id)
    .reduce(
      (acc, s) => ({
        cpu: acc.cpu + s.spec.capacity.cpu,
        memoryMiB: acc.memoryMiB + s.spec.capacity.memoryMiB,
        diskMiB: acc.diskMiB + s.spec.capacity.diskMiB,
      }),
      { cpu: 0, memoryMiB: 0, diskMiB: 0 },
    );
  return {
    cpu: host.spec.capacity.cpu * cpuAllocationRatio - used.cpu,
    memoryMiB: host.spec.capacity.memoryMiB - used.memoryMiB,
    diskMiB: host.spec.capacity.diskMiB - used.diskMiB,
  };
}

function chooseVirtualization(host: Resource, wanted: Requirements['virtualization']): Virtualization | undefined {
  if (wanted !== 'any') return host.spec.virtualizations.includes(wanted) ? wanted : undefined;
  return PREFERENCE.find((v) => v !== 'sim' && host.spec.virtualizations.includes(v));
}

export function place(snapshot: PlacementSnapshot, request: PlacementRequest): Plan {
  const req = request.requirements;
  const candidates: Array<{ host: Resource; v: Virtualization; free: Capacity }> = [];
  let reason = 'no live host';
  for (const host of snapshot.hosts) {
    if (!isHost(host) || !hostIsLive(host, snapshot.now)) continue;
    const v = chooseVirtualization(host, req.virtualization);
    if (!v) {
      reason = `no live host offers ${req.virtualization}`;
      continue;
    }
    const free = freeCapacity(host, snapshot.slots, snapshot.cpuAllocationRatio);
    if (free.cpu < req.cpu || free.memoryMiB < req.memoryMiB || free.diskMiB < req.diskMiB) {
      reason = `no host has ${req.cpu} cpu, ${req.memoryMiB} MiB memory and ${req.diskMiB} MiB disk free`;
      continue;
    }
    candidates.push({ host, v, free });
  }
  if (candidates.length === 0) return { fits: false, reason };
  candidates.sort((a, b) => {
    const pa = a.host.id === request.preferHostId ? 1 : 0;
    const pb = b.host.id === request.preferHostId ? 1 : 0;
    return pb - pa || b.free.memoryMiB - a.free.memoryMiB || a.host.id.localeCompare(b.host.id);
  });
  const best = candidates[0] as (typeof candidates)[number];
  return { fits: true, hostId: best.host.id, virtualization: best.v };
}
