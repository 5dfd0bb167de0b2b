import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_REQUIREMENTS, type Requirements } from '../../src/domain/appliance.ts';
import type { HostLease } from '../../src/domain/host-lease.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { place, type Plan, type PlacementSnapshot } from '../../src/scheduler/placement.ts';
import { aResource } from '../support/objects.ts';

const now = new Date('2026-01-01T00:00:10Z');
const live = (r: Resource): Resource => ({ ...r, status: { ...r.status, state: 'active', lastHeartbeatAt: '2026-01-01T00:00:05Z' } });
const host = (name: string, memoryMiB: number, virtualizations: Resource['spec']['virtualizations'] = ['container']) =>
  live(aResource(name, { type: 'physical', capacity: { cpu: 2, memoryMiB, diskMiB: 1000 }, virtualizations }));
const slot = (h: Resource, memoryMiB: number) =>
  aResource(`slot-${Math.random()}`, { type: 'container', hostId: h.id, capacity: { cpu: 1, memoryMiB, diskMiB: 0 } });
const req = (r: Partial<Requirements> = {}): Requirements => ({ ...DEFAULT_REQUIREMENTS, ...r });
/** The decision without its explanation (what the explanation says is tested on its own). */
const decision = (p: Plan) => {
  const { explanation: _explanation, ...rest } = p;
  return rest;
};
const snap = (hosts: Resource[], slots: Resource[] = []): PlacementSnapshot => ({ now, hosts, slots, cpuAllocationRatio: 1, reservations: [] });

test('picks the live host with the most free memory', () => {
  const a = host('a', 1000);
  const b = host('b', 4000);
  const plan = place(snap([a, b], [slot(b, 3500)]), { requirements: req({ memoryMiB: 256 }), preferHostId: null, reservation: null });
  assert.deepEqual(decision(plan), { fits: true, hostId: a.id, virtualization: 'container' });
});

test('prefers the host that holds the clone when it fits', () => {
  const a = host('a', 1000);
  const b = host('b', 4000);
  const plan = place(snap([a, b]), { requirements: req(), preferHostId: a.id, reservation: null });
  assert.equal(plan.fits && plan.hostId, a.id);
});

test('skips hosts whose lease expired and hosts without the virtualization', () => {
  const stale = { ...host('stale', 8000), status: { ...host('x', 1).status, lastHeartbeatAt: '2025-12-31T00:00:00Z' } };
  const simOnly = host('sim', 8000, ['sim']);
  const plan = place(snap([stale, simOnly]), { requirements: req({ virtualization: 'container' }), preferHostId: null, reservation: null });
  assert.equal(plan.fits, false);
  assert.match(plan.fits ? '' : plan.reason, /container/);
});

test('"any" never lands on the simulated driver, but "sim" does', () => {
  const simOnly = host('sim', 8000, ['sim']);
  assert.equal(place(snap([simOnly]), { requirements: req(), preferHostId: null, reservation: null }).fits, false);
  const plan = place(snap([simOnly]), { requirements: req({ virtualization: 'sim' }), preferHostId: null, reservation: null });
  assert.deepEqual(decision(plan), { fits: true, hostId: simOnly.id, virtualization: 'sim' });
});

test('counts cpu with the allocation ratio and refuses what does not fit', () => {
  const h = host('h', 100_000);
  const full = [slot(h, 1), slot(h, 1)];
  assert.equal(place(snap([h], full), { requirements: req(), preferHostId: null, reservation: null }).fits, false);
  const roomy = place({ ...snap([h], full), cpuAllocationRatio: 4 }, { requirements: req(), preferHostId: null, reservation: null });
  assert.equal(roomy.fits, true);
  const tooBig = place(snap([h]), { requirements: req({ memoryMiB: 200_000 }), preferHostId: null, reservation: null });
  assert.equal(tooBig.fits, false);
});

test('a physical appliance takes the smallest idle server its boot host can start', () => {
  const boot = host('boot', 1000, ['physical']);
  const server = (name: string, memoryMiB: number, busy = false) => {
    const r = aResource(name, {
      type: 'physical',
      hostId: boot.id,
      capacity: { cpu: 4, memoryMiB, diskMiB: 0 },
      mac: '52:54:00:00:00:0a',
      bmc: { address: '127.0.0.1', port: 623, user: 'admin', passwordSealed: 'v1.x' },
    });
    return { ...r, status: { ...r.status, applianceId: busy ? 'someone' : null } };
  };
  const small = server('small', 2048);
  const big = server('big', 8192);
  const taken = server('taken', 1024, true);
  const plan = place(snap([boot], [small, big, taken]), { requirements: req({ virtualization: 'physical', memoryMiB: 1024 }), preferHostId: null, reservation: null });
  assert.deepEqual(decision(plan), { fits: true, hostId: boot.id, virtualization: 'physical', machineId: small.id });
  const none = place(snap([boot], [taken]), { requirements: req({ virtualization: 'physical' }), preferHostId: null, reservation: null });
  assert.equal(none.fits, false);
});

test('a reserved physical placement takes a whole idle server of the reserved host, never a slot', () => {
  // A request appliance moved to physical once got a slot row with no BMC and was stuck.
  const boot = host('boot', 1000, ['physical', 'container']);
  const r = aResource('srv', {
    type: 'physical',
    hostId: boot.id,
    capacity: { cpu: 4, memoryMiB: 4096, diskMiB: 0 },
    mac: '52:54:00:00:00:0b',
    bmc: { address: '127.0.0.1', port: 623, user: 'admin', passwordSealed: 'v1.x' },
  });
  const idle = { ...r, status: { ...r.status, applianceId: null } };
  const reservation = { id: 'res-1', hostId: boot.id };
  const plan = place(snap([boot], [idle]), { requirements: req({ virtualization: 'physical' }), preferHostId: null, reservation });
  assert.deepEqual(decision(plan), { fits: true, hostId: boot.id, virtualization: 'physical', machineId: idle.id });
  const none = place(snap([boot], []), { requirements: req({ virtualization: 'physical' }), preferHostId: null, reservation });
  assert.equal(none.fits, false, 'no idle server: it waits, rather than getting a slot');
});

test('a restart elsewhere avoids the hosts it names, and fits nowhere when that leaves none', () => {
  const a = host('a', 8000);
  const b = host('b', 1000);
  const plan = place(snap([a, b]), { requirements: req(), preferHostId: a.id, reservation: null, avoidHostIds: [a.id] });
  assert.deepEqual(decision(plan), { fits: true, hostId: b.id, virtualization: 'container' });
  const none = place(snap([a]), { requirements: req(), preferHostId: null, reservation: null, avoidHostIds: [a.id] });
  assert.equal(none.fits, false);
  assert.match(none.fits ? '' : none.reason, /avoid/);
});

test('host labels: only a host carrying every label asked for, with its value', () => {
  const labelled = (h: Resource, labels: Record<string, string>): Resource => ({ ...h, spec: { ...h.spec, labels } });
  const a = labelled(host('a', 8000), { zone: 'b' });
  const b = labelled(host('b', 1000), { zone: 'a', disk: 'ssd' });
  const plan = place(snap([a, b]), { requirements: req(), preferHostId: null, reservation: null, hostLabels: { zone: 'a', disk: 'ssd' } });
  assert.deepEqual(decision(plan), { fits: true, hostId: b.id, virtualization: 'container' });
  const none = place(snap([a, b]), { requirements: req(), preferHostId: null, reservation: null, hostLabels: { zone: 'c' } });
  assert.deepEqual(decision(none), { fits: false, reason: 'no live host has the labels zone=c' });
});

test('anti-affinity: never a host that already runs a member of the group, even the freest or the clone host', () => {
  const a = host('a', 8000);
  const b = host('b', 1000);
  const plan = place(snap([a, b]), { requirements: req(), preferHostId: a.id, reservation: null, antiAffinity: { group: 'web', hostIds: [a.id] } });
  assert.deepEqual(decision(plan), { fits: true, hostId: b.id, virtualization: 'container' });
  const none = place(snap([a, b]), { requirements: req(), preferHostId: null, reservation: null, antiAffinity: { group: 'web', hostIds: [a.id, b.id] } });
  assert.equal(none.fits, false);
  assert.match(none.fits ? '' : none.reason, /anti-affinity group web/);
});

test('a reservation on a fenced host places the appliance elsewhere, unreserved; on a live host it holds', () => {
  const fenced = host('fenced', 8000);
  const other = host('other', 4000);
  const lease: HostLease = { state: 'fenced', durationMs: 10_000, expiresAt: null, epoch: 1, since: now.toISOString(), signals: { bmc: 'off', peers: [], checkedAt: null }, fencedBy: 'bmc', waitingFor: null };
  const down: Resource = { ...fenced, status: { ...fenced.status, lease } };
  const reservation = { id: 'r1', hostId: fenced.id };
  assert.deepEqual(decision(place(snap([fenced, other]), { requirements: req(), preferHostId: null, reservation })), { fits: true, hostId: fenced.id, virtualization: 'container' });
  assert.deepEqual(decision(place(snap([down, other]), { requirements: req(), preferHostId: null, reservation })), { fits: true, hostId: other.id, virtualization: 'container' });
  assert.deepEqual(decision(place(snap([other]), { requirements: req(), preferHostId: null, reservation })), { fits: true, hostId: other.id, virtualization: 'container' }, 'a host gone from the snapshot (failed in a plan) too');
});
