import { HOST_LEASE_MS } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import { powerStateSchema, resourceStateSchema, type Capacity } from '../domain/resource.ts';
import type { HostFigures, ReservedNow, ServerUsage, SlotUsage } from '../store/dashboard-repo.ts';

/** How much of one virtualization type the data center has, uses and could still give. */
export interface VirtualizationCapacity {
  virtualization: Virtualization;
  /** Hosts that offer it, and those of them whose lease holds. */
  hosts: number;
  liveHosts: number;
  /** Appliances placed on it: slots, or physical servers taken. */
  units: number;
  /** Physical only: idle servers (with a BMC and a boot MAC) on live boot hosts; null for slot types. */
  freeUnits: number | null;
  /** What the hosts offering it have (CPUs times the allocation ratio), or the servers for physical. */
  total: Capacity;
  used: Capacity;
  /** Promised now to cloud requests on those hosts (partly in use by their own appliances). */
  reserved: Capacity;
  /** What a new appliance could still get on live hosts, reservations held back. */
  free: Capacity;
}

type StateCounts = Record<(typeof resourceStateSchema.options)[number], number>;
type PowerCounts = Record<(typeof powerStateSchema.options)[number], number>;

export interface MachineCounts {
  total: number;
  byState: StateCounts;
  byPower: PowerCounts;
}

export interface InventorySummary {
  capacity: VirtualizationCapacity[];
  hosts: MachineCounts & { live: number };
  servers: MachineCounts & { inUse: number };
}

export interface InventoryFigures {
  now: Date;
  cpuAllocationRatio: number;
  hosts: HostFigures[];
  slots: SlotUsage[];
  servers: ServerUsage[];
  reserved: ReservedNow[];
}

const ZERO: Capacity = { cpu: 0, memoryMiB: 0, diskMiB: 0 };
const add = (a: Capacity, b: Capacity): Capacity => ({ cpu: a.cpu + b.cpu, memoryMiB: a.memoryMiB + b.memoryMiB, diskMiB: a.diskMiB + b.diskMiB });
const minusFloor = (a: Capacity, b: Capacity): Capacity => ({
  cpu: Math.max(0, a.cpu - b.cpu),
  memoryMiB: Math.max(0, a.memoryMiB - b.memoryMiB),
  diskMiB: Math.max(0, a.diskMiB - b.diskMiB),
});
const capacityOf = (c: Capacity): Capacity => ({ cpu: c.cpu, memoryMiB: c.memoryMiB, diskMiB: c.diskMiB });
const counts = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Slot types share their host's room, so a host offering two counts its whole room for each. */
const SLOT_TYPES: Virtualization[] = ['container', 'qemu', 'sim'];

/**
 * The dashboard's capacity and machine figures from the store's aggregates: the same arithmetic
 * as placement (`scheduler/placement.ts#freeCapacity`: a host's room times the CPU allocation
 * ratio, less its unreserved slots, less what reservations hold now), summed per virtualization.
 * Pure, so it is tested with plain data.
 */
export function summarizeInventory(f: InventoryFigures): InventorySummary {
  const live = (h: HostFigures) => h.lastHeartbeatAt !== null && f.now.getTime() - Date.parse(h.lastHeartbeatAt) < HOST_LEASE_MS;
  const offered = (h: HostFigures): Capacity => ({ ...capacityOf(h.capacity), cpu: h.capacity.cpu * f.cpuAllocationRatio });
  const reservedOn = new Map(f.reserved.map((r) => [r.hostId, capacityOf(r)]));
  const unreservedOn = new Map<string, Capacity>();
  for (const s of f.slots) if (!s.reserved) unreservedOn.set(s.hostId, add(unreservedOn.get(s.hostId) ?? ZERO, capacityOf(s)));
  const freeOn = (h: HostFigures): Capacity => minusFloor(minusFloor(offered(h), unreservedOn.get(h.id) ?? ZERO), reservedOn.get(h.id) ?? ZERO);

  const capacity: VirtualizationCapacity[] = [];
  for (const v of SLOT_TYPES) {
    const offering = f.hosts.filter((h) => h.virtualizations.includes(v));
    const slots = f.slots.filter((s) => s.virtualization === v);
    if (v === 'sim' && offering.length === 0 && slots.length === 0) continue;
    capacity.push({
      virtualization: v,
      hosts: offering.length,
      liveHosts: offering.filter(live).length,
      units: slots.reduce((n, s) => n + s.units, 0),
      freeUnits: null,
      total: offering.map(offered).reduce(add, ZERO),
      used: slots.map(capacityOf).reduce(add, ZERO),
      reserved: offering.map((h) => reservedOn.get(h.id) ?? ZERO).reduce(add, ZERO),
      free: offering.filter(live).map(freeOn).reduce(add, ZERO),
    });
    if (v === 'qemu') capacity.push(physicalCapacity(f, live));
  }

  const hosts = { total: f.hosts.length, live: f.hosts.filter(live).length, byState: counts(resourceStateSchema.options), byPower: counts(powerStateSchema.options) };
  for (const h of f.hosts) {
    hosts.byState[h.state] += 1;
    hosts.byPower[h.powerState] += 1;
  }
  const servers = { total: 0, inUse: 0, byState: counts(resourceStateSchema.options), byPower: counts(powerStateSchema.options) };
  for (const s of f.servers) {
    servers.total += s.units;
    if (s.inUse) servers.inUse += s.units;
    const state = resourceStateSchema.safeParse(s.state);
    const power = powerStateSchema.safeParse(s.powerState);
    servers.byState[state.success ? state.data : 'unknown'] += s.units;
    servers.byPower[power.success ? power.data : 'unknown'] += s.units;
  }
  return { capacity, hosts, servers };
}

/** A physical appliance takes a whole idle server of a live boot host; servers have no share. */
function physicalCapacity(f: InventoryFigures, live: (h: HostFigures) => boolean): VirtualizationCapacity {
  const bootHosts = f.hosts.filter((h) => h.virtualizations.includes('physical'));
  const liveBoot = new Set(bootHosts.filter(live).map((h) => h.id));
  const idle = f.servers.filter((s) => !s.inUse && s.bootable && liveBoot.has(s.hostId));
  return {
    virtualization: 'physical',
    hosts: bootHosts.length,
    liveHosts: liveBoot.size,
    units: f.servers.filter((s) => s.inUse).reduce((n, s) => n + s.units, 0),
    freeUnits: idle.reduce((n, s) => n + s.units, 0),
    total: f.servers.map(capacityOf).reduce(add, ZERO),
    used: f.servers.filter((s) => s.inUse).map(capacityOf).reduce(add, ZERO),
    reserved: ZERO,
    free: idle.map(capacityOf).reduce(add, ZERO),
  };
}
