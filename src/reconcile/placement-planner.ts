import { freshMeta } from '../domain/meta.ts';
import type { Appliance, ApplianceStatus } from '../domain/appliance.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { Resource } from '../domain/resource.ts';
import type { RuntimeNetwork } from '../drivers/driver.ts';
import { nextFreeAddress, parseCidr } from '../network/ipam.ts';
import { constraintsRequest, groupMemberOf, needsGroupMembers } from '../scheduler/constraints.ts';
import { isReservedPlacement, place, RESERVATION_LABEL } from '../scheduler/placement.ts';
import type { Repos, Store } from '../store/store.ts';

export type PlaceOutcome = { ok: true; appliance: Appliance } | { ok: false; reason: string };

/**
 * Commits what the pure scheduler proposes. Inside one transaction it re-reads the snapshot,
 * asks `place()`, then bumps the chosen host's version: two planners placing on the same host
 * at once conflict there, and the loser re-runs with the winner's slot in its snapshot, so a host
 * is never overbooked. The slot (a virtual resource), the address and the appliance's status are
 * written together with the event.
 */
export class PlacementPlanner {
  constructor(
    private readonly store: Store,
    private readonly cpuAllocationRatio: number,
  ) {}

  async place(a: Appliance, opts: { avoidHostIds?: readonly string[] } = {}): Promise<PlaceOutcome> {
    const now = this.store.clock.now();
    return this.store.transaction(async (tx) => {
      // An unreserved appliance takes capacity that approvals also decide about: serialise with them.
      if (!a.spec.reservation) await tx.cloud.bumpCapacityEpoch();
      const resources = await tx.resources.all();
      const hosts = resources.filter((r) => r.spec.virtualizations.length > 0);
      const slots = resources.filter((r) => r.spec.hostId !== null);
      const cloneHost = typeof a.status.handle.cloneHostId === 'string' ? a.status.handle.cloneHostId : null;
      const preferHostId = cloneHost && !opts.avoidHostIds?.includes(cloneHost) ? cloneHost : null;
      const reservations = await tx.cloud.reservations();
      // Read in this transaction: a member of its group placed concurrently on the same host
      // conflicts on that host's version below, and the retry sees it.
      const members = needsGroupMembers(a) ? (await tx.appliances.all()).map(groupMemberOf) : [];
      const plan = place(
        { now, hosts, slots, cpuAllocationRatio: this.cpuAllocationRatio, reservations },
        {
          requirements: a.spec.requirements,
          preferHostId,
          reservation: a.spec.reservation,
          ...(opts.avoidHostIds ? { avoidHostIds: opts.avoidHostIds } : {}),
          ...constraintsRequest(a, members),
        },
      );
      if (!plan.fits) return { ok: false as const, reason: plan.reason };
      const host = hosts.find((h) => h.id === plan.hostId) as Resource;
      await tx.resources.update(host, now);
      const address = await this.allocateAddress(tx, a, now);
      if (plan.machineId) return { ok: true as const, appliance: await this.claimMachine(tx, a, host, plan.machineId, address, now) };
      const slotId = this.store.ids.next();
      const slot: Resource = {
        ...freshMeta(slotId, `slot-${a.id.slice(-12)}`, now),
        spec: {
          type: plan.virtualization === 'qemu' ? 'vm' : plan.virtualization === 'physical' ? 'physical' : 'container',
          hostId: host.id,
          capacity: { cpu: a.spec.requirements.cpu, memoryMiB: a.spec.requirements.memoryMiB, diskMiB: a.spec.requirements.diskMiB },
          virtualizations: [],
          labels: {
            'fleetyard.io/virtualization': plan.virtualization,
            ...(a.spec.reservation && isReservedPlacement(a.spec.reservation, host.id) ? { [RESERVATION_LABEL]: a.spec.reservation.id } : {}),
          },
        },
        status: { state: 'active', powerState: 'on', applianceId: a.id, address, lastHeartbeatAt: null, facts: {} },
      };
      await tx.resources.insert(slot);
      const appliance = await tx.appliances.update(
        {
          ...a,
          status: {
            ...a.status,
            phase: 'starting',
            hostId: host.id,
            resourceId: slotId,
            address,
            virtualization: plan.virtualization,
            message: null,
            handle: { ...a.status.handle, cloneHostId: host.id },
            hostEpoch: host.status.lease?.epoch ?? 0,
          },
        },
        now,
      );
      await tx.emit({
        type: 'appliance.placed',
        kind: 'appliance',
        objectId: a.id,
        ownerId: a.spec.ownerId,
        message: `appliance ${a.name} placed on ${host.name} (${plan.virtualization}) with address ${address}`,
        data: { hostId: host.id, resourceId: slotId, address, virtualization: plan.virtualization, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
      return { ok: true as const, appliance };
    });
  }

  /**
   * A physical appliance takes a whole server: the server's resource row is its slot. The
   * versioned update means two planners can never hand one server to two appliances.
   */
  private async claimMachine(tx: Repos, a: Appliance, host: Resource, machineId: string, address: string, now: Date): Promise<Appliance> {
    const machine = await tx.resources.require(machineId);
    if (machine.status.applianceId) throw new FleetyardError('FY_VERSION_CONFLICT', `server ${machine.name} was taken concurrently`);
    await tx.resources.update({ ...machine, status: { ...machine.status, applianceId: a.id, address, state: 'active' } }, now);
    const appliance = await tx.appliances.update(
      {
        ...a,
        status: {
          ...a.status,
          phase: 'starting',
          hostId: host.id,
          resourceId: machine.id,
          address,
          virtualization: 'physical',
          message: null,
          handle: { ...a.status.handle, cloneHostId: host.id },
          hostEpoch: host.status.lease?.epoch ?? 0,
        },
      },
      now,
    );
    await tx.emit({
      type: 'appliance.placed',
      kind: 'appliance',
      objectId: a.id,
      ownerId: a.spec.ownerId,
      message: `appliance ${a.name} placed on physical server ${machine.name} (booted by ${host.name}) with address ${address}`,
      data: { hostId: host.id, resourceId: machine.id, address, virtualization: 'physical', requestId: a.spec.labels[REQUEST_LABEL] ?? null },
    });
    return appliance;
  }

  private async allocateAddress(tx: Repos, a: Appliance, now: Date): Promise<string> {
    const network = await this.network(tx, a.spec.network);
    const held = await tx.addresses.forAppliance(network.id, a.id);
    if (held) return held;
    const taken = await tx.addresses.taken(network.id);
    const address = nextFreeAddress(network.spec.cidr, network.spec.gateway, taken, network.spec.excluded ?? []);
    if (!address) throw new FleetyardError('FY_NO_CAPACITY', `network ${network.name} has no free address`);
    if (!(await tx.addresses.claim(network.id, address, a.id, now))) {
      throw new FleetyardError('FY_VERSION_CONFLICT', `address ${address} was taken concurrently`);
    }
    return address;
  }

  private async network(tx: Repos, name: string) {
    const network = await tx.networks.getByName(name);
    if (!network) throw new FleetyardError('FY_VALIDATION', `network ${name} does not exist`);
    return network;
  }

  async runtimeNetwork(a: Appliance): Promise<RuntimeNetwork> {
    const network = await this.network(this.store.read, a.spec.network);
    const address = a.status.address ?? (await this.store.read.addresses.forAppliance(network.id, a.id));
    if (!address) throw new FleetyardError('FY_INTERNAL', `appliance ${a.id} has no address`);
    return {
      name: network.name,
      bridge: network.spec.bridge,
      address,
      prefixLength: parseCidr(network.spec.cidr).prefixLength,
      gateway: network.spec.gateway,
    };
  }

  /** A virtual slot is deleted; a physical server goes back to idle. */
  private async freeSlot(tx: Repos, resourceId: string, now: Date): Promise<void> {
    const slot = await tx.resources.get(resourceId);
    if (!slot) return;
    if (slot.spec.type === 'physical') {
      await tx.resources.update({ ...slot, status: { ...slot.status, applianceId: null, address: null, state: 'idle' } }, now);
    } else {
      await tx.resources.delete(resourceId);
    }
  }

  /** After a stop: the slot goes back to the host; the address and the clone stay with the appliance. */
  async release(a: Appliance, patch: Partial<ApplianceStatus>): Promise<void> {
    const now = this.store.clock.now();
    await this.store.transaction(async (tx) => {
      if (a.status.resourceId) await this.freeSlot(tx, a.status.resourceId, now);
      const written = await tx.appliances.update({ ...a, status: { ...a.status, ...patch, hostId: null, resourceId: null } }, now);
      await tx.emit({
        type: 'appliance.stopped',
        kind: 'appliance',
        objectId: a.id,
        ownerId: a.spec.ownerId,
        message: `appliance ${a.name} is stopped`,
        data: { phase: written.status.phase, hostId: null, address: written.status.address, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
    });
  }

  /**
   * After its host was fenced: the slot there goes (the address and the data stay with the
   * appliance), and the status says what becomes of it, with its event, in one transaction.
   */
  async releaseFromLostHost(a: Appliance, patch: Partial<ApplianceStatus>, event: { type: 'appliance.failover' | 'appliance.lost'; message: string }): Promise<void> {
    const now = this.store.clock.now();
    await this.store.transaction(async (tx) => {
      if (a.status.resourceId) await this.freeSlot(tx, a.status.resourceId, now);
      const written = await tx.appliances.update({ ...a, status: { ...a.status, ...patch, hostId: null, resourceId: null } }, now);
      await tx.emit({
        type: event.type,
        kind: 'appliance',
        objectId: a.id,
        ownerId: a.spec.ownerId,
        message: event.message,
        data: { phase: written.status.phase, hostId: null, address: written.status.address, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
    });
  }

  /** After a delete: everything the appliance held goes, then the row itself. */
  async forget(a: Appliance): Promise<void> {
    await this.store.transaction(async (tx) => {
      const current = await tx.appliances.get(a.id);
      if (!current || current.version !== a.version) {
        throw new FleetyardError('FY_VERSION_CONFLICT', `appliance ${a.id} changed during deletion`);
      }
      if (a.status.resourceId) await this.freeSlot(tx, a.status.resourceId, this.store.clock.now());
      await tx.addresses.releaseAll(a.id);
      await tx.checks.remove(a.id);
      await tx.appliances.delete(a.id);
      await tx.emit({
        type: 'appliance.deleted',
        kind: 'appliance',
        objectId: a.id,
        ownerId: a.spec.ownerId,
        message: `appliance ${a.name} deleted; its runtime, clone and address were released`,
        data: { requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
    });
  }
}
