import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Appliance, Requirements } from '../../src/domain/appliance.ts';
import type { Virtualization } from '../../src/domain/meta.ts';
import type { PlacementConstraints } from '../../src/domain/placement-constraints.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { admitHaAppliance } from '../../src/ha/admission-rule.ts';
import { planFailure, toleratesAnySingleFailure, type FleetSnapshot } from '../../src/ha/failover-plan.ts';
import { place } from '../../src/scheduler/placement.ts';
import { anAppliance, aResource } from '../support/objects.ts';

/**
 * The N+1 plan with plain data: hosts, the slots placed on them and the appliances those slots
 * hold, as the store would give them. Capacity is counted in memory (cpu is plentiful).
 */
const now = new Date('2026-01-01T00:00:10Z');

const host = (name: string, memoryMiB: number, virtualizations: Virtualization[] = ['container']): Resource => {
  const r = aResource(name, { type: 'physical', capacity: { cpu: 64, memoryMiB, diskMiB: 100_000 }, virtualizations });
  return { ...r, status: { ...r.status, state: 'active', lastHeartbeatAt: '2026-01-01T00:00:05Z' } };
};

class Fleet {
  hosts: Resource[] = [];
  slots: Resource[] = [];
  appliances: Appliance[] = [];

  addHost(name: string, memoryMiB: number, virtualizations?: Virtualization[]): Resource {
    const h = host(name, memoryMiB, virtualizations);
    this.hosts.push(h);
    return h;
  }

  /** An appliance running on `on`, in a slot of its size. */
  run(name: string, on: Resource, opts: { ha?: boolean; memoryMiB?: number; virtualization?: Requirements['virtualization']; placement?: PlacementConstraints } = {}): Appliance {
    const virtualization = opts.virtualization ?? 'container';
    const slot = aResource(`slot-${name}`, { type: 'container', hostId: on.id, capacity: { cpu: 1, memoryMiB: opts.memoryMiB ?? 100, diskMiB: 0 } });
    const base = anAppliance(name, 'image', { requirements: { memoryMiB: opts.memoryMiB ?? 100, virtualization } });
    const a: Appliance = {
      ...base,
      spec: { ...base.spec, ha: opts.ha ?? true, desiredState: 'running', ...(opts.placement ? { placement: opts.placement } : {}) },
      status: { ...base.status, phase: 'running', hostId: on.id, resourceId: slot.id, virtualization: virtualization === 'any' ? 'container' : virtualization, handle: { cloneHostId: on.id } },
    };
    this.slots.push({ ...slot, status: { ...slot.status, applianceId: a.id, state: 'active' } });
    this.appliances.push(a);
    return a;
  }

  snapshot(): FleetSnapshot {
    return { now, hosts: this.hosts, slots: this.slots, appliances: this.appliances, cpuAllocationRatio: 1, reservations: [] };
  }
}

describe('planFailure', () => {
  it('places displaced HA appliances in id order until capacity runs out on the second host', () => {
    const f = new Fleet();
    const a = f.addHost('a', 10_000);
    f.addHost('b', 500);
    f.addHost('c', 400);
    const first = f.run('first', a, { memoryMiB: 300 });
    const second = f.run('second', a, { memoryMiB: 300 });
    const third = f.run('third', a, { memoryMiB: 300 });
    const plain = f.run('plain', a, { ha: false });
    const plan = planFailure(f.snapshot(), [a.id]);
    assert.deepEqual(plan.failed, [{ id: a.id, name: 'a' }]);
    assert.deepEqual(
      plan.restarts.map((r) => [r.name, r.to?.name ?? null]),
      [['first', 'b'], ['second', 'c'], ['third', null]],
    );
    assert.deepEqual(plan.restarts.map((r) => r.applianceId), [first.id, second.id, third.id]);
    const last = plan.restarts[2];
    assert.equal(last?.fits, false);
    assert.match(last?.reason ?? '', /300 MiB memory/);
    assert.deepEqual(plan.lost, [{ applianceId: plain.id, name: 'plain', from: { id: a.id, name: 'a' } }]);
    assert.equal(plan.unplaced, 1);
  });

  it('predicts what placing them one after another with place() does', () => {
    const f = new Fleet();
    const a = f.addHost('a', 10_000);
    f.addHost('b', 500);
    f.addHost('c', 400);
    for (let i = 0; i < 6; i++) f.run(`ha-${i}`, a, { memoryMiB: 150 + 10 * i });
    const s = f.snapshot();
    const plan = planFailure(s, [a.id]);
    // The failover: the failed host's slots freed, the appliances placed by id, each slot counted.
    let slots = s.slots.filter((x) => x.spec.hostId !== a.id);
    const hosts = s.hosts.filter((h) => h.id !== a.id);
    const expected: Array<string | null> = [];
    for (const x of [...s.appliances].sort((p, q) => (p.id < q.id ? -1 : 1))) {
      const p = place({ ...s, hosts, slots }, { requirements: x.spec.requirements, preferHostId: a.id, reservation: null });
      expected.push(p.fits ? p.hostId : null);
      if (p.fits) slots = [...slots, aResource('s', { type: 'container', hostId: p.hostId, capacity: { cpu: 1, memoryMiB: x.spec.requirements.memoryMiB, diskMiB: 0 } })];
    }
    assert.deepEqual(plan.restarts.map((r) => r.to?.id ?? null), expected);
    assert.ok(expected.includes(null) && expected.some((e) => e !== null), 'the fleet is sized so some fit and some do not');
  });

  it('gives the scheduler\'s reason when no other host offers the virtualization', () => {
    const f = new Fleet();
    const a = f.addHost('a', 4000, ['qemu', 'container']);
    const b = f.addHost('b', 4000, ['container']);
    const vm = f.run('vm', a, { virtualization: 'qemu' });
    const ct = f.run('ct', a, { virtualization: 'container' });
    const plan = planFailure(f.snapshot(), [a.id]);
    const byName = new Map(plan.restarts.map((r) => [r.name, r]));
    assert.equal(byName.get('vm')?.fits, false);
    assert.match(byName.get('vm')?.reason ?? '', /no live host offers qemu/);
    assert.equal(byName.get('ct')?.to?.id, b.id);
    assert.equal(plan.restarts[0]?.applianceId, vm.id < ct.id ? vm.id : ct.id);
  });

  it('plans several failures at once, leaving out everything the failed hosts held', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    const b = f.addHost('b', 1000);
    const c = f.addHost('c', 1000);
    f.run('on-a', a, { memoryMiB: 400 });
    f.run('on-b', b, { memoryMiB: 400 });
    f.run('on-c', c, { memoryMiB: 400 });
    const both = planFailure(f.snapshot(), [b.id, a.id]);
    assert.deepEqual(both.failed.map((h) => h.name), ['a', 'b']);
    // c has 600 MiB free: one of the two fits, the next does not.
    assert.deepEqual(both.restarts.map((r) => [r.name, r.to?.name ?? null]), [['on-a', 'c'], ['on-b', null]]);
    const all = planFailure(f.snapshot(), [a.id, b.id, c.id]);
    assert.equal(all.unplaced, 3);
    assert.match(all.restarts[0]?.reason ?? '', /no live host/);
  });

  it('leaves out stopped and deleting appliances', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    f.addHost('b', 1000);
    const going = f.run('going', a);
    f.appliances = f.appliances.map((x) => (x.id === going.id ? { ...x, deletionRequestedAt: now.toISOString() } : x));
    const stopping = f.run('stopping', a);
    f.appliances = f.appliances.map((x) => (x.id === stopping.id ? { ...x, spec: { ...x.spec, desiredState: 'stopped' } } : x));
    const plan = planFailure(f.snapshot(), [a.id]);
    assert.deepEqual(plan.restarts, []);
    assert.deepEqual(plan.lost, []);
  });

  it('honours host labels and anti-affinity, counting each restart before the next', () => {
    const f = new Fleet();
    const a = f.addHost('a', 10_000);
    const b = f.addHost('b', 1_000);
    const c = f.addHost('c', 5_000);
    f.hosts = f.hosts.map((h) => (h.id === b.id ? { ...h, spec: { ...h.spec, labels: { tier: 'gold' } } } : h));
    const group = { hostLabels: {}, antiAffinity: 'web' };
    f.run('web-on-c', c, { placement: group });
    const gold = f.run('gold', a, { placement: { hostLabels: { tier: 'gold' }, antiAffinity: null } });
    const web1 = f.run('web-1', a, { placement: group });
    const web2 = f.run('web-2', a, { placement: group });
    const plan = planFailure(f.snapshot(), [a.id]);
    assert.deepEqual(
      plan.restarts.map((r) => [r.applianceId, r.to?.name ?? null]),
      [[gold.id, 'b'], [web1.id, 'b'], [web2.id, null]],
    );
    assert.match(plan.restarts[2]?.reason ?? '', /anti-affinity group web/);
  });

  it('keeps one owner\'s anti-affinity group from constraining another owner\'s appliances', () => {
    const f = new Fleet();
    const a = f.addHost('a', 10_000);
    const b = f.addHost('b', 1_000);
    const theirs = f.run('theirs', b, { placement: { hostLabels: {}, antiAffinity: 'web' } });
    f.appliances = f.appliances.map((x) => (x.id === theirs.id ? { ...x, spec: { ...x.spec, ownerId: 'someone-else' } } : x));
    const mine = f.run('mine', a, { placement: { hostLabels: {}, antiAffinity: 'web' } });
    assert.deepEqual(planFailure(f.snapshot(), [a.id]).restarts.map((r) => [r.applianceId, r.to?.name ?? null]), [[mine.id, 'b']]);
  });
});

describe('toleratesAnySingleFailure', () => {
  it('holds when every live host can fail and every HA appliance still has a place', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    const b = f.addHost('b', 1000);
    f.run('x', a, { memoryMiB: 400 });
    f.run('y', b, { memoryMiB: 400 });
    const t = toleratesAnySingleFailure(f.snapshot());
    assert.equal(t.tolerates, true);
    assert.equal(t.haAppliances, 2);
    assert.deepEqual(t.scenarios.map((s) => s.failed[0]?.name), ['a', 'b']);
    assert.deepEqual(t.scenarios.map((s) => s.restarts.map((r) => r.to?.name)), [['b'], ['a']]);
  });

  it('is lost when one host\'s HA appliances do not fit on the rest, and names that host as the worst', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    const b = f.addHost('b', 1000);
    f.run('big', a, { memoryMiB: 700 });
    f.run('small', b, { memoryMiB: 200 });
    f.run('plain', b, { ha: false, memoryMiB: 200 });
    const t = toleratesAnySingleFailure(f.snapshot());
    assert.equal(t.tolerates, false);
    assert.equal(t.worst?.failed[0]?.name, 'a');
    assert.equal(t.worst?.unplaced, 1);
    assert.equal(t.scenarios.find((s) => s.failed[0]?.name === 'b')?.unplaced, 0);
  });

  it('does not count a host that is already down or being fenced as a scenario', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    const b = f.addHost('b', 1000);
    f.hosts = f.hosts.map((h) =>
      h.id === b.id
        ? { ...h, status: { ...h.status, lease: { state: 'fencing', durationMs: 10_000, expiresAt: null, epoch: 1, since: now.toISOString(), signals: { bmc: 'none', peers: [], checkedAt: null }, fencedBy: null, waitingFor: null } } }
        : h,
    );
    f.run('x', a);
    const t = toleratesAnySingleFailure(f.snapshot());
    assert.deepEqual(t.scenarios.map((s) => s.failed[0]?.name), ['a']);
  });

  it('holds trivially without HA appliances', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    f.run('plain', a, { ha: false });
    const t = toleratesAnySingleFailure(f.snapshot());
    assert.equal(t.tolerates, true);
    assert.equal(t.haAppliances, 0);
    assert.equal(t.scenarios[0]?.lost.length, 1);
  });
});

describe('admitHaAppliance', () => {
  const ask = (memoryMiB: number) => ({ name: 'new', requirements: { cpu: 1, memoryMiB, diskMiB: 0, pids: 256, virtualization: 'container' as const }, reservation: null });

  it('admits an appliance the fleet can still restart anywhere', () => {
    const f = new Fleet();
    f.addHost('a', 1000);
    f.addHost('b', 1000);
    assert.deepEqual(admitHaAppliance(f.snapshot(), ask(400)), { admit: true });
  });

  it('refuses one that could not restart if its host failed', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    f.addHost('b', 1000);
    f.run('filler', a, { ha: false, memoryMiB: 600 });
    // It goes to b (most free); if b failed, a has only 400 MiB.
    const v = admitHaAppliance(f.snapshot(), ask(500));
    assert.equal(v.admit, false);
    assert.match(v.admit ? '' : v.reason, /new would run on b, and if b failed/);
  });

  it('refuses one that takes the room another HA appliance needs to restart', () => {
    const f = new Fleet();
    const a = f.addHost('a', 1000);
    f.addHost('b', 1200);
    f.run('old', a, { memoryMiB: 900 });
    // Both would go to b, the one with more room; then if a failed, old (900) no longer fits there.
    const v = admitHaAppliance(f.snapshot(), ask(400));
    assert.equal(v.admit, false);
    assert.match(v.admit ? '' : v.reason, /if a failed, HA appliance old could no longer restart/);
    assert.deepEqual(admitHaAppliance(f.snapshot(), ask(100)), { admit: true });
  });

  it('does not refuse one that fits nowhere now (the scheduler keeps it pending)', () => {
    const f = new Fleet();
    f.addHost('a', 100);
    assert.deepEqual(admitHaAppliance(f.snapshot(), ask(400)), { admit: true });
  });
});
