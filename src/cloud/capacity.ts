import type { CloudRequest } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { Size } from '../domain/product.ts';
import type { Capacity } from '../domain/resource.ts';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';
import { RESERVATION_LABEL } from '../scheduler/placement.ts';
import { freeOver, reserveUnits, type CapacitySnapshot, type ReservePlan, type UnitAsk } from '../scheduler/reservations.ts';
import type { Repos, Store } from '../store/store.ts';

/**
 * Capacity decisions of the cloud: reserve a request's units for its whole window at approval,
 * and re-check an extension. Each runs in the caller's transaction after it has bumped the
 * capacity epoch, so two decisions never see the same free capacity.
 */
export class CapacityService {
  constructor(
    private readonly store: Store,
    /** CPUs a host offers per core: what placement and the dashboard count a host's room in. */
    readonly cpuAllocationRatio: number,
  ) {}

  /** What is free, leaving out the reservations of `exclude` (one request's id, or several). */
  async snapshot(tx: Repos, now: Date, exclude?: string | ReadonlySet<string>): Promise<CapacitySnapshot> {
    const skip = typeof exclude === 'string' ? new Set([exclude]) : (exclude ?? new Set<string>());
    const resources = await tx.resources.all();
    const unreserved = new Map<string, Capacity>();
    for (const slot of resources) {
      if (!slot.spec.hostId || slot.spec.type === 'physical' || slot.spec.labels[RESERVATION_LABEL] !== undefined) continue;
      const u = unreserved.get(slot.spec.hostId) ?? { cpu: 0, memoryMiB: 0, diskMiB: 0 };
      unreserved.set(slot.spec.hostId, {
        cpu: u.cpu + slot.spec.capacity.cpu,
        memoryMiB: u.memoryMiB + slot.spec.capacity.memoryMiB,
        diskMiB: u.diskMiB + slot.spec.capacity.diskMiB,
      });
    }
    const reservations = (await tx.cloud.reservations()).filter((r) => !skip.has(r.requestId));
    return {
      now,
      hosts: resources.filter((r) => r.spec.virtualizations.length > 0),
      reservations,
      unreserved,
      cpuAllocationRatio: this.cpuAllocationRatio,
    };
  }

  /**
   * What approving `r` would decide now, host by host, reserving nothing: its own reservations
   * count as free, as they do when it is decided again.
   */
  async explain(r: CloudRequest, size: Size, policy: PlacementPolicy): Promise<ReservePlan> {
    const now = this.store.clock.now();
    const startAt = new Date(Math.max(Date.parse(r.spec.startAt), now.getTime()));
    const ask = { cpu: size.cpu, memoryMiB: size.memoryMiB, diskMiB: size.diskMiB, virtualization: r.spec.virtualization };
    return reserveUnits(await this.snapshot(this.store.read, now, r.id), ask, r.spec.quantity, startAt, new Date(r.spec.endAt), policy);
  }

  /** Reserves every unit of `r` or none; returns the plan. The caller holds the capacity epoch. */
  async reserve(tx: Repos, r: CloudRequest, size: Size, now: Date, policy: PlacementPolicy = 'spread'): Promise<ReservePlan> {
    await tx.cloud.releaseReservations(r.id);
    const startAt = new Date(Math.max(Date.parse(r.spec.startAt), now.getTime()));
    const endAt = new Date(r.spec.endAt);
    const plan = reserveUnits(
      await this.snapshot(tx, now, r.id),
      { cpu: size.cpu, memoryMiB: size.memoryMiB, diskMiB: size.diskMiB, virtualization: r.spec.virtualization },
      r.spec.quantity,
      startAt,
      endAt,
      policy,
    );
    if (!plan.fits) return plan;
    for (const [unit, hostId] of plan.hostIds.entries()) {
      await tx.cloud.insertReservation({
        id: this.store.ids.next(),
        requestId: r.id,
        unit,
        hostId,
        cpu: size.cpu,
        memoryMiB: size.memoryMiB,
        diskMiB: size.diskMiB,
        startAt: startAt.toISOString(),
        endAt: endAt.toISOString(),
      });
    }
    return plan;
  }

  /**
   * Whether all of `asks` would find room together over [startAt, endAt) without reserving
   * anything (a stack's plan): each group of units counts for the next, as one approval would.
   * The requests in `exclude` are those the same change ends, so their room counts as free.
   */
  async fitsAll(tx: Repos, asks: ReadonlyArray<{ ask: UnitAsk; units: number }>, startAt: Date, endAt: Date, now: Date, exclude: ReadonlySet<string>): Promise<{ fits: true } | { fits: false; reason: string }> {
    let snapshot = await this.snapshot(tx, now, exclude);
    for (const [i, { ask, units }] of asks.entries()) {
      const plan = reserveUnits(snapshot, ask, units, startAt, endAt);
      if (!plan.fits) return plan;
      const tentative = plan.hostIds.map((hostId, unit) => ({
        id: `tentative-${i}-${unit}`,
        requestId: `tentative-${i}`,
        unit,
        hostId,
        cpu: ask.cpu,
        memoryMiB: ask.memoryMiB,
        diskMiB: ask.diskMiB,
        startAt: startAt.toISOString(),
        endAt: endAt.toISOString(),
      }));
      snapshot = { ...snapshot, reservations: [...snapshot.reservations, ...tentative] };
    }
    return { fits: true };
  }

  /** Moves the end of `r`'s reservations to `endAt` if every unit's host has room until then. */
  async extend(tx: Repos, r: CloudRequest, endAt: Date, now: Date): Promise<void> {
    const mine = await tx.cloud.reservations({ requestId: r.id });
    if (mine.length === 0) throw new FleetyardError('FY_VALIDATION', 'the request holds no reservation to extend');
    const snapshot = await this.snapshot(tx, now, r.id);
    const from = Math.max(now.getTime(), Date.parse(r.spec.startAt));
    const wanted = new Map<string, Capacity>();
    for (const res of mine) {
      const w = wanted.get(res.hostId) ?? { cpu: 0, memoryMiB: 0, diskMiB: 0 };
      wanted.set(res.hostId, { cpu: w.cpu + res.cpu, memoryMiB: w.memoryMiB + res.memoryMiB, diskMiB: w.diskMiB + res.diskMiB });
    }
    for (const [hostId, need] of wanted) {
      const host = snapshot.hosts.find((h) => h.id === hostId);
      const free = host ? freeOver(snapshot, host, from, endAt.getTime()) : undefined;
      if (!free || free.cpu < need.cpu || free.memoryMiB < need.memoryMiB || free.diskMiB < need.diskMiB) {
        throw new FleetyardError('FY_NO_CAPACITY', `the request cannot be extended to ${endAt.toISOString()}: its host is promised to others`);
      }
    }
    await tx.cloud.extendReservations(r.id, endAt.toISOString());
  }
}
