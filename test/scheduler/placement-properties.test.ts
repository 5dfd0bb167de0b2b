import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_REQUIREMENTS, type Requirements } from '../../src/domain/appliance.ts';
import type { Reservation } from '../../src/domain/reservation.ts';
import type { Capacity, Resource } from '../../src/domain/resource.ts';
import { FILTERS, PLACEMENT_POLICIES, type Explanation, type PlacementPolicy } from '../../src/scheduler/pipeline.ts';
import { freeCapacity, place, type PlacementRequest } from '../../src/scheduler/placement.ts';
import { peakReserved, reserveUnits } from '../../src/scheduler/reservations.ts';
import { aResource } from '../support/objects.ts';

/**
 * The scheduler's promises, checked over many random fleets and request streams (fast-check
 * shrinks any failure to a smallest fleet and stream): a stream of immediate placements and
 * reservations, each plan applied to the snapshot before the next, never overcommits a host (the
 * appliances it runs plus what reservations promise at any instant stay within its capacity),
 * never places where a constraint forbids, and every refusal explains itself host by host.
 * FLEETYARD_PROPERTY_RUNS sets the number of streams (default 150).
 */
const RUNS = Number(process.env.FLEETYARD_PROPERTY_RUNS ?? 150);
const NOW = new Date('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;
const RATIO = 2;

const hostArb = fc.record({
  cpu: fc.integer({ min: 1, max: 8 }),
  memoryMiB: fc.integer({ min: 256, max: 8192 }),
  diskMiB: fc.integer({ min: 0, max: 10_000 }),
  virtualizations: fc.subarray(['container', 'qemu', 'sim'] as const, { minLength: 1 }),
  live: fc.boolean(),
  zone: fc.constantFrom('a', 'b'),
});

const askArb = fc.record({
  cpu: fc.integer({ min: 1, max: 4 }),
  memoryMiB: fc.integer({ min: 64, max: 4096 }),
  diskMiB: fc.integer({ min: 0, max: 3000 }),
  virtualization: fc.constantFrom('container', 'qemu', 'sim', 'any'),
  zone: fc.option(fc.constantFrom('a', 'b'), { nil: null }),
  group: fc.option(fc.constantFrom('g1', 'g2'), { nil: null }),
  policy: fc.constantFrom(...PLACEMENT_POLICIES),
});

const reserveArb = fc.record({
  cpu: fc.integer({ min: 1, max: 4 }),
  memoryMiB: fc.integer({ min: 64, max: 4096 }),
  diskMiB: fc.integer({ min: 0, max: 3000 }),
  virtualization: fc.constantFrom('container', 'qemu', 'sim'),
  units: fc.integer({ min: 1, max: 3 }),
  startHours: fc.integer({ min: 0, max: 48 }),
  hours: fc.integer({ min: 1, max: 48 }),
  policy: fc.constantFrom(...PLACEMENT_POLICIES),
});

const stepArb = fc.oneof({ arbitrary: askArb.map((a) => ({ kind: 'place' as const, ...a })), weight: 3 }, { arbitrary: reserveArb.map((r) => ({ kind: 'reserve' as const, ...r })), weight: 1 });

type HostSpec = typeof hostArb extends fc.Arbitrary<infer T> ? T : never;

function makeHost(h: HostSpec, i: number): Resource {
  const r = aResource(`h${i}`, { type: 'physical', capacity: { cpu: h.cpu, memoryMiB: h.memoryMiB, diskMiB: h.diskMiB }, virtualizations: [...h.virtualizations], labels: { zone: h.zone } });
  return { ...r, status: { ...r.status, state: 'active', powerState: 'on', lastHeartbeatAt: h.live ? new Date(NOW.getTime() - 1000).toISOString() : null } };
}

/** What the appliances on `host` use now, and the capacity it offers. */
function load(host: Resource, slots: Resource[]): { used: Capacity; offered: Capacity } {
  const free = freeCapacity(host, slots, RATIO);
  const offered = { cpu: host.spec.capacity.cpu * RATIO, memoryMiB: host.spec.capacity.memoryMiB, diskMiB: host.spec.capacity.diskMiB };
  return { used: { cpu: offered.cpu - free.cpu, memoryMiB: offered.memoryMiB - free.memoryMiB, diskMiB: offered.diskMiB - free.diskMiB }, offered };
}

/** At every instant from now on (load only rises where a reservation starts), use + promises fit. */
function assertNotOvercommitted(hosts: Resource[], slots: Resource[], reservations: Reservation[]): void {
  for (const host of hosts) {
    const { used, offered } = load(host, slots);
    const instants = [NOW.getTime(), ...reservations.filter((r) => r.hostId === host.id).map((r) => Date.parse(r.startAt))];
    for (const t of instants) {
      const promised = peakReserved(reservations, host.id, t, t + 1);
      for (const k of ['cpu', 'memoryMiB', 'diskMiB'] as const) {
        assert.ok(used[k] + promised[k] <= offered[k], `${host.name} overcommitted in ${k} at ${new Date(t).toISOString()}: ${used[k]} used + ${promised[k]} promised > ${offered[k]}`);
      }
    }
  }
}

/** Every host has one verdict; a rejected one names a filter of the pipeline and says why. */
function assertExplained(e: Explanation, hosts: Resource[], policy: PlacementPolicy, fits: boolean): void {
  assert.equal(e.policy, policy);
  assert.deepEqual(e.hosts.map((h) => h.hostId).sort(), hosts.map((h) => h.id).sort());
  for (const v of e.hosts) {
    if (v.rejectedBy === null) {
      assert.equal(typeof v.score, 'number');
    } else {
      assert.ok(FILTERS.includes(v.rejectedBy));
      assert.ok(v.reason && v.reason.length > 0, `${v.host} rejected by ${v.rejectedBy} without a reason`);
    }
  }
  const candidates = e.hosts.filter((v) => v.rejectedBy === null);
  if (!fits) assert.equal(candidates.length, 0, 'a refusal has no candidate host');
  // Candidates come first, best first.
  assert.deepEqual(e.hosts.slice(0, candidates.length), candidates);
  for (let i = 1; i < candidates.length; i++) assert.ok((candidates[i - 1]?.score as number) >= (candidates[i]?.score as number));
}

test('a random stream of placements and reservations never overcommits a host, honours every constraint, and explains every refusal', () => {
  fc.assert(
    fc.property(fc.array(hostArb, { minLength: 1, maxLength: 8 }), fc.array(stepArb, { minLength: 1, maxLength: 40 }), (hostSpecs, steps) => {
      const hosts = hostSpecs.map(makeHost);
      const slots: Resource[] = [];
      const reservations: Reservation[] = [];
      const groupHosts = new Map<string, Set<string>>();
      for (const [n, step] of steps.entries()) {
        if (step.kind === 'place') {
          const requirements: Requirements = { ...DEFAULT_REQUIREMENTS, cpu: step.cpu, memoryMiB: step.memoryMiB, diskMiB: step.diskMiB, virtualization: step.virtualization };
          const request: PlacementRequest = {
            requirements,
            preferHostId: null,
            reservation: null,
            policy: step.policy,
            ...(step.zone ? { hostLabels: { zone: step.zone } } : {}),
            ...(step.group ? { antiAffinity: { group: step.group, hostIds: [...(groupHosts.get(step.group) ?? [])] } } : {}),
          };
          const plan = place({ now: NOW, hosts, slots, cpuAllocationRatio: RATIO, reservations }, request);
          assertExplained(plan.explanation, hosts, step.policy, plan.fits);
          if (!plan.fits) {
            assert.ok(plan.reason.length > 0);
            continue;
          }
          assert.equal(plan.explanation.hosts[0]?.hostId, plan.hostId, 'the chosen host is the best candidate');
          const host = hosts.find((h) => h.id === plan.hostId) as Resource;
          assert.ok(host.status.lastHeartbeatAt !== null, 'placed on a live host');
          assert.ok(host.spec.virtualizations.includes(plan.virtualization));
          if (step.virtualization !== 'any') assert.equal(plan.virtualization, step.virtualization);
          else assert.notEqual(plan.virtualization, 'sim', '"any" never lands on the simulation');
          if (step.zone) assert.equal(host.spec.labels.zone, step.zone);
          if (step.group) {
            assert.ok(!groupHosts.get(step.group)?.has(host.id), 'two members of an anti-affinity group on one host');
            groupHosts.set(step.group, new Set([...(groupHosts.get(step.group) ?? []), host.id]));
          }
          slots.push(aResource(`slot-${n}`, { type: 'container', hostId: host.id, capacity: { cpu: step.cpu, memoryMiB: step.memoryMiB, diskMiB: step.diskMiB } }));
        } else {
          const unreserved = new Map(hosts.map((h) => [h.id, load(h, slots).used]));
          const startAt = new Date(NOW.getTime() + step.startHours * HOUR);
          const endAt = new Date(startAt.getTime() + step.hours * HOUR);
          const plan = reserveUnits({ now: NOW, hosts, reservations, unreserved, cpuAllocationRatio: RATIO }, step, step.units, startAt, endAt, step.policy);
          assertExplained(plan.explanation, hosts, step.policy, plan.fits);
          if (!plan.fits) {
            assert.ok(plan.reason.length > 0);
            continue;
          }
          assert.equal(plan.hostIds.length, step.units);
          for (const [unit, hostId] of plan.hostIds.entries()) {
            const host = hosts.find((h) => h.id === hostId) as Resource;
            assert.ok(host.status.lastHeartbeatAt !== null && host.spec.virtualizations.includes(step.virtualization));
            reservations.push({ id: `r${n}-${unit}`, requestId: `q${n}`, unit, hostId, cpu: step.cpu, memoryMiB: step.memoryMiB, diskMiB: step.diskMiB, startAt: startAt.toISOString(), endAt: endAt.toISOString() });
          }
        }
        assertNotOvercommitted(hosts, slots, reservations);
      }
    }),
    { numRuns: RUNS },
  );
});

test('pack fills the fullest host that fits, spread the emptiest, under any fleet', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 512, max: 8192 }), { minLength: 2, maxLength: 8 }), fc.integer({ min: 64, max: 512 }), (memories, ask) => {
      const hosts = memories.map((m, i) => makeHost({ cpu: 8, memoryMiB: m, diskMiB: 1000, virtualizations: ['container'], live: true, zone: 'a' }, i));
      const requirements = { ...DEFAULT_REQUIREMENTS, memoryMiB: ask, diskMiB: 0 };
      const chosen = (policy: PlacementPolicy) => {
        const plan = place({ now: NOW, hosts, slots: [], cpuAllocationRatio: RATIO, reservations: [] }, { requirements, preferHostId: null, reservation: null, policy });
        assert.ok(plan.fits);
        return (hosts.find((h) => h.id === plan.hostId) as Resource).spec.capacity.memoryMiB;
      };
      assert.equal(chosen('pack'), Math.min(...memories));
      assert.equal(chosen('spread'), Math.max(...memories));
    }),
    { numRuns: RUNS },
  );
});
