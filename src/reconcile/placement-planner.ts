import { freshMeta } from '../domain/meta.ts';
import type { Appliance, ApplianceStatus } from '../domain/appliance.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import { isHost } from '../domain/host.ts';
import type { Ipv6Pool } from '../domain/network.ts';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';
import type { Resource } from '../domain/resource.ts';
import type { RuntimeIpv6, RuntimeNetwork } from '../drivers/driver.ts';
import { nextFreeAddress } from '../network/ipam.ts';
import { nextFreeAddress6, parseCidr6 } from '../network/ipam6.ts';
import { runtimeNetworkOf } from './fabric-plan.ts';
import { constraintsRequest, groupMemberOf, needsGroupMembers } from '../scheduler/constraints.ts';
import { isReservedPlacement, place, RESERVATION_LABEL, type Plan, type PlacementRequest, type PlacementSnapshot } from '../scheduler/placement.ts';
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
    /** The installation's policy, for an appliance that names none. */
    private readonly policy: PlacementPolicy = 'spread',
  ) {}

  async place(a: Appliance, opts: { avoidHostIds?: readonly string[] } = {}): Promise<PlaceOutcome> {
    const now = this.store.clock.now();
    return this.store.transaction(async (tx) => {
      // An unreserved appliance takes capacity that approvals also decide about: serialise with them.
      if (!a.spec.reservation) await tx.cloud.bumpCapacityEpoch();
      const { snapshot, request } = await this.question(tx, a, now, opts);
      const { hosts } = snapshot;
      const plan = place(snapshot, request);
      if (!plan.fits) return { ok: false as const, reason: plan.reason };
      const host = hosts.find((h) => h.id === plan.hostId) as Resource;
      await tx.resources.update(host, now);
      const address = await this.allocateAddress(tx, a, now);
      const address6 = await this.allocateAddress6(tx, a, now);
      if (address === null && (plan.virtualization === 'physical' || plan.virtualization === 'qemu')) {
        throw new FleetyardError('FY_VALIDATION', `network ${a.spec.network} has no IPv4 pool: a ${plan.virtualization === 'qemu' ? 'VM' : 'physical server'} boots over IPv4`, { field: 'network' });
      }
      // One address on each further network, claimed with the first: all of them or none.
      const more = await this.allocateMoreAddresses(tx, a, now);
      const more6 = await this.allocateMoreAddresses6(tx, a, now);
      const placedA: Appliance = more ? { ...a, status: { ...a.status, moreAddresses: more, ...(more6 ? { moreAddresses6: more6 } : {}) } } : a;
      if (plan.machineId) return { ok: true as const, appliance: await this.claimMachine(tx, placedA, host, plan.machineId, address, address6, now) };
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
          ...placedA,
          status: {
            ...placedA.status,
            phase: 'starting',
            hostId: host.id,
            resourceId: slotId,
            address,
            address6,
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
        message: `appliance ${a.name} placed on ${host.name} (${plan.virtualization}) with address ${address ?? address6}${furtherText(a, more)}`,
        data: { hostId: host.id, resourceId: slotId, address: address ?? (address6 as string), virtualization: plan.virtualization, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
      return { ok: true as const, appliance };
    });
  }

  /**
   * What the scheduler would decide for `a` now, host by host, without deciding it: the reason a
   * pending appliance waits, or where a running one would go if it were placed again.
   */
  async explain(a: Appliance): Promise<Plan> {
    const { snapshot, request } = await this.question(this.store.read, a, this.store.clock.now(), {});
    return place(snapshot, request);
  }

  /** The snapshot and the request `place()` is asked for `a`, read from `repos` (in the placing transaction). */
  private async question(repos: Repos, a: Appliance, now: Date, opts: { avoidHostIds?: readonly string[] }): Promise<{ snapshot: PlacementSnapshot; request: PlacementRequest }> {
    const resources = await repos.resources.all();
    const hosts = resources.filter((r) => r.spec.virtualizations.length > 0);
    const slots = resources.filter((r) => r.spec.hostId !== null);
    const cloneHost = typeof a.status.handle.cloneHostId === 'string' ? a.status.handle.cloneHostId : null;
    const preferHostId = cloneHost && !opts.avoidHostIds?.includes(cloneHost) ? cloneHost : null;
    const reservations = await repos.cloud.reservations();
    // Read in this transaction: a member of its group placed concurrently on the same host
    // conflicts on that host's version below, and the retry sees it.
    const members = needsGroupMembers(a) ? (await repos.appliances.all()).map(groupMemberOf) : [];
    return {
      snapshot: { now, hosts, slots, cpuAllocationRatio: this.cpuAllocationRatio, reservations },
      request: {
        requirements: a.spec.requirements,
        preferHostId,
        reservation: a.spec.reservation,
        policy: this.policy,
        ...(opts.avoidHostIds ? { avoidHostIds: opts.avoidHostIds } : {}),
        ...constraintsRequest(a, members),
      },
    };
  }

  /**
   * A physical appliance takes a whole server: the server's resource row is its slot. The
   * versioned update means two planners can never hand one server to two appliances.
   */
  private async claimMachine(tx: Repos, a: Appliance, host: Resource, machineId: string, address: string | null, address6: string | null, now: Date): Promise<Appliance> {
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
          address6,
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
      data: { hostId: host.id, resourceId: machine.id, address: address as string, virtualization: 'physical', requestId: a.spec.labels[REQUEST_LABEL] ?? null },
    });
    return appliance;
  }

  /** Its IPv4 address on its first network; null on an IPv6-only network. */
  private async allocateAddress(tx: Repos, a: Appliance, now: Date): Promise<string | null> {
    const network = await this.network(tx, a.spec.network);
    return network.spec.cidr === null ? null : this.allocateOn(tx, a.spec.network, a, now);
  }

  /** Its address on each of `spec.moreNetworks`, in order; undefined when it has none. */
  private async allocateMoreAddresses(tx: Repos, a: Appliance, now: Date): Promise<string[] | undefined> {
    const names = a.spec.moreNetworks ?? [];
    if (names.length === 0) return undefined;
    const addresses: string[] = [];
    for (const name of names) {
      if ((await this.network(tx, name)).spec.cidr === null) {
        throw new FleetyardError('FY_VALIDATION', `network ${name} has no IPv4 pool: an IPv6-only network can only be an appliance's first network`, { field: 'moreNetworks' });
      }
      addresses.push(await this.allocateOn(tx, name, a, now));
    }
    return addresses;
  }

  /** The appliance's address on the network: the one it holds, else the next free one, claimed. */
  private async allocateOn(tx: Repos, networkName: string, a: Appliance, now: Date): Promise<string> {
    const network = await this.network(tx, networkName);
    const held = await tx.addresses.forAppliance(network.id, a.id);
    if (held) return held;
    const { cidr, gateway } = network.spec;
    if (cidr === null || gateway === null) throw new FleetyardError('FY_INTERNAL', `network ${network.name} has no IPv4 pool`);
    const taken = await tx.addresses.taken(network.id);
    const address = nextFreeAddress(cidr, gateway, taken, network.spec.excluded ?? []);
    if (!address) throw new FleetyardError('FY_NO_CAPACITY', `network ${network.name} has no free address`);
    if (!(await tx.addresses.claim(network.id, address, a.id, now))) {
      throw new FleetyardError('FY_VERSION_CONFLICT', `address ${address} was taken concurrently`);
    }
    return address;
  }

  /** The appliance's IPv6 address on its first network when that has an IPv6 pool (null otherwise). */
  private allocateAddress6(tx: Repos, a: Appliance, now: Date): Promise<string | null> {
    return this.allocateOn6(tx, a.spec.network, a, now);
  }

  /**
   * Its IPv6 address on each of `spec.moreNetworks` that has an IPv6 pool (null on the others),
   * in order; undefined when none of them has one.
   */
  private async allocateMoreAddresses6(tx: Repos, a: Appliance, now: Date): Promise<Array<string | null> | undefined> {
    const addresses: Array<string | null> = [];
    for (const name of a.spec.moreNetworks ?? []) addresses.push(await this.allocateOn6(tx, name, a, now));
    return addresses.some((x) => x !== null) ? addresses : undefined;
  }

  /** Its IPv6 address on the network when that has an IPv6 pool (null otherwise); kept like the IPv4 one. */
  private async allocateOn6(tx: Repos, networkName: string, a: Appliance, now: Date): Promise<string | null> {
    const network = await this.network(tx, networkName);
    const pool = network.spec.ipv6;
    if (!pool) return null;
    const held = await tx.addresses6.forAppliance(network.id, a.id);
    if (held) return held;
    const address = nextFreeAddress6(pool.cidr, pool.gateway, await tx.addresses6.taken(network.id), pool.excluded);
    if (!address) throw new FleetyardError('FY_NO_CAPACITY', `network ${network.name} has no free IPv6 address`);
    if (!(await tx.addresses6.claim(network.id, address, a.id, now))) {
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
    const address = network.spec.cidr === null ? null : (a.status.address ?? (await this.store.read.addresses.forAppliance(network.id, a.id)));
    if (network.spec.cidr !== null && !address) throw new FleetyardError('FY_INTERNAL', `appliance ${a.id} has no address`);
    const pool = network.spec.ipv6;
    const address6 = pool ? (a.status.address6 ?? (await this.store.read.addresses6.forAppliance(network.id, a.id)) ?? null) : null;
    if (!address && !address6) throw new FleetyardError('FY_INTERNAL', `appliance ${a.id} has no address on network ${network.name}`);
    // Only a network that spans hosts needs to know the other hosts (its VXLAN peers).
    const hosts = network.spec.vxlan ? (await this.store.read.resources.all({ type: 'physical' })).filter(isHost) : [];
    return {
      ...runtimeNetworkOf(network, address ?? null, a.status.hostId ?? '', hosts, this.store.clock.now()),
      ipv6: runtimeIpv6(pool, address6),
    };
  }

  /** The agent's view of `spec.moreNetworks`, in order, with the address placement gave it on each. */
  async moreRuntimeNetworks(a: Appliance): Promise<RuntimeNetwork[]> {
    const names = a.spec.moreNetworks ?? [];
    const out: RuntimeNetwork[] = [];
    let hosts: Resource[] | undefined;
    for (const [i, name] of names.entries()) {
      const network = await this.network(this.store.read, name);
      const address = a.status.moreAddresses?.[i] ?? (await this.store.read.addresses.forAppliance(network.id, a.id));
      if (!address) throw new FleetyardError('FY_INTERNAL', `appliance ${a.id} has no address on network ${name}`);
      // A further network may span hosts too: it then needs the other hosts (its VXLAN peers).
      if (network.spec.vxlan && hosts === undefined) hosts = (await this.store.read.resources.all({ type: 'physical' })).filter(isHost);
      const pool = network.spec.ipv6;
      const address6 = pool ? (a.status.moreAddresses6?.[i] ?? (await this.store.read.addresses6.forAppliance(network.id, a.id)) ?? null) : null;
      out.push({
        ...runtimeNetworkOf(network, address, a.status.hostId ?? '', network.spec.vxlan ? (hosts ?? []) : [], this.store.clock.now()),
        ipv6: runtimeIpv6(pool, address6),
      });
    }
    return out;
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
      // Every network's address at once: the first and each of `moreNetworks`.
      await tx.addresses.releaseAll(a.id);
      await tx.addresses6.releaseAll(a.id);
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

/** The agent's view of an appliance's IPv6 address on a network; null without a pool or an address. */
function runtimeIpv6(pool: Ipv6Pool | null | undefined, address6: string | null): RuntimeIpv6 | null {
  return pool && address6 ? { address: address6, prefixLength: parseCidr6(pool.cidr).prefixLength, gateway: pool.gateway } : null;
}

/** `, and 10.0.0.2 on lan, 10.1.0.2 on san` for an event's message; empty for one network. */
function furtherText(a: Appliance, more: readonly string[] | undefined): string {
  if (!more || more.length === 0) return '';
  return `, and ${more.map((x, i) => `${x} on ${a.spec.moreNetworks?.[i] ?? '?'}`).join(', ')}`;
}
