import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostPower } from '../../src/domain/host-power.ts';
import type { Reservation } from '../../src/domain/reservation.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { planPower, type PowerInput, type PowerSettings } from '../../src/power/power-plan.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const MIN = 60_000;
const SETTINGS: PowerSettings = { idleMs: 30 * MIN, spareHosts: 1, leadMs: 10 * MIN, defaultBootMs: 3 * MIN, bootTimeoutMs: 10 * MIN };

function host(name: string, opts: { power?: Partial<HostPower>; virt?: Resource['spec']['virtualizations']; bmc?: boolean; heartbeatAgoMs?: number } = {}): Resource {
  return {
    id: `id-${name}`,
    name,
    version: 1,
    generation: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    spec: {
      type: 'physical',
      hostId: null,
      capacity: { cpu: 8, memoryMiB: 16_384, diskMiB: 100_000 },
      virtualizations: opts.virt ?? ['container'],
      labels: {},
      bmc: opts.bmc === false ? null : { address: '127.0.0.1', port: 623, user: 'admin', passwordSealed: 'x' },
    },
    status: {
      state: 'active',
      powerState: 'on',
      applianceId: null,
      address: null,
      lastHeartbeatAt: new Date(NOW.getTime() - (opts.heartbeatAgoMs ?? 1_000)).toISOString(),
      facts: {},
      ...(opts.power
        ? { power: { state: 'awake', since: NOW.toISOString(), reason: 'test', offMs: 0, bootMs: null, failures: 0, nextTryAt: null, lastError: null, ...opts.power } }
        : {}),
    },
  } as Resource;
}

function input(hosts: Resource[], more: Partial<PowerInput> = {}): PowerInput {
  const idleSince = new Map(hosts.map((h) => [h.id, NOW.getTime() - 60 * MIN]));
  return { now: NOW, hosts, inUse: new Map(), reservations: [], waiting: [], idleSince, powerable: (h) => Boolean(h.spec.bmc), settings: SETTINGS, ...more };
}

const actions = (v: ReturnType<typeof planPower>) => Object.fromEntries(v.map((x) => [x.host, x.action]));

function reservation(hostId: string, startInMs: number): Reservation {
  return { id: 'r1', requestId: 'req1', unit: 0, hostId, cpu: 1, memoryMiB: 512, diskMiB: 0, startAt: new Date(NOW.getTime() + startInMs).toISOString(), endAt: new Date(NOW.getTime() + startInMs + 60 * MIN).toISOString() };
}

describe('planPower', () => {
  it('powers idle hosts off down to the spare count, the longest idle first', () => {
    const hosts = [host('a'), host('b'), host('c')];
    const idleSince = new Map([['id-a', NOW.getTime() - 40 * MIN], ['id-b', NOW.getTime() - 90 * MIN], ['id-c', NOW.getTime() - 60 * MIN]]);
    const v = planPower(input(hosts, { idleSince }));
    assert.deepEqual(actions(v), { a: 'none', b: 'off', c: 'off' });
    assert.match(v.find((x) => x.host === 'a')?.reason ?? '', /spare/);
  });

  it('keeps spares per virtualization: a host that is the last idle one of its kind stays on', () => {
    const v = planPower(input([host('c1'), host('c2'), host('q1', { virt: ['qemu'] })]));
    assert.equal(actions(v).q1, 'none');
    assert.equal(Object.values(actions(v)).filter((a) => a === 'off').length, 1);
  });

  it('never powers off a host with appliances, one idle too briefly, one with a reservation soon, or one without a BMC', () => {
    const hosts = [host('busy'), host('fresh'), host('reserved'), host('nobmc', { bmc: false }), host('spare')];
    const idleSince = new Map(hosts.map((h) => [h.id, NOW.getTime() - (h.name === 'fresh' ? 5 * MIN : 60 * MIN)]));
    const v = planPower(input(hosts, { idleSince, inUse: new Map([['id-busy', 2]]), reservations: [reservation('id-reserved', 12 * MIN)] }));
    assert.equal(actions(v).busy, 'none');
    assert.match(v.find((x) => x.host === 'busy')?.reason ?? '', /runs 2 appliances/);
    assert.equal(actions(v).fresh, 'none');
    assert.match(v.find((x) => x.host === 'fresh')?.reason ?? '', /idle for 300 s of the 1800 s/);
    assert.equal(actions(v).reserved, 'none');
    assert.match(v.find((x) => x.host === 'reserved')?.reason ?? '', /reservation/);
    assert.equal(actions(v).nobmc, 'none');
    // Four idle awake hosts, one spare: only "spare" itself may sleep, and then another spare is left.
    assert.equal(actions(v).spare, 'off');
  });

  it('wakes a sleeping host within its lead time and boot time before its reservation, not earlier', () => {
    const measured = host('z', { power: { state: 'off', bootMs: 5 * MIN } });
    const spare = host('s');
    assert.equal(actions(planPower(input([measured, spare], { reservations: [reservation('id-z', 16 * MIN)] }))).z, 'none');
    const v = planPower(input([measured, spare], { reservations: [reservation('id-z', 14 * MIN)] }));
    assert.equal(actions(v).z, 'on');
    assert.match(v.find((x) => x.host === 'z')?.reason ?? '', /reservation \(request req1\)/);
  });

  it('wakes as many hosts as the waiting appliances need, counting those already booting', () => {
    const off = () => [host('x', { power: { state: 'off' } }), host('y', { power: { state: 'off' } }), host('z', { power: { state: 'off' } }), host('s')];
    const small = planPower(input(off(), { waiting: [{ virtualization: 'container', memoryMiB: 512 }, { virtualization: 'container', memoryMiB: 512 }] }));
    assert.equal(Object.values(actions(small)).filter((a) => a === 'on').length, 1, 'two small ones fit on one host');
    assert.match(small.find((x) => x.action === 'on')?.reason ?? '', /2 appliances wait for container capacity/);
    const big = planPower(input(off(), { waiting: [{ virtualization: 'container', memoryMiB: 12_000 }, { virtualization: 'container', memoryMiB: 12_000 }] }));
    assert.equal(Object.values(actions(big)).filter((a) => a === 'on').length, 2, 'two large ones need two hosts');
    const booting = planPower(input([host('x', { power: { state: 'powering-on' } }), host('y', { power: { state: 'off' } }), host('s')], { waiting: [{ virtualization: 'container', memoryMiB: 512 }] }));
    assert.deepEqual(actions(booting), { x: 'none', y: 'none', s: 'none' });
    const otherKind = planPower(input([host('q', { power: { state: 'off' }, virt: ['qemu'] }), host('s')], { waiting: [{ virtualization: 'container', memoryMiB: 512 }], settings: { ...SETTINGS, spareHosts: 0 } }));
    assert.equal(actions(otherKind).q, 'none', 'a host of another virtualization is not woken for them');
  });

  it('does not count an idle host held for a reservation as a spare', () => {
    const v = planPower(input([host('held'), host('z', { power: { state: 'off' } })], { reservations: [reservation('id-held', 5 * MIN)] }));
    assert.equal(actions(v).z, 'on', 'the reserved host is no spare: another wakes');
  });

  it('wakes a host when fewer spares than asked are awake', () => {
    const v = planPower(input([host('busy'), host('z', { power: { state: 'off' } })], { inUse: new Map([['id-busy', 1]]) }));
    assert.equal(actions(v).z, 'on');
    assert.match(v.find((x) => x.host === 'z')?.reason ?? '', /fewer than 1 idle container host/);
  });

  it('takes back a host whose power-off was never confirmed instead of powering it on, and retries an unneeded one', () => {
    const failing = host('f', { power: { state: 'powering-off', failures: 2, lastError: 'BMC timeout' } });
    const needed = planPower(input([failing], { waiting: [{ virtualization: 'container', memoryMiB: 512 }] }));
    assert.equal(actions(needed).f, 'take-back');
    const unneeded = planPower(input([failing, host('s')]));
    assert.equal(actions(unneeded).f, 'off');
    assert.match(unneeded.find((x) => x.host === 'f')?.reason ?? '', /BMC timeout/);
  });

  it('leaves a host that is not live to the failure detector', () => {
    const silent = host('gone', { heartbeatAgoMs: 60 * MIN });
    const v = planPower(input([silent, host('s'), host('t')]));
    assert.equal(actions(v).gone, 'none');
    assert.equal(v.find((x) => x.host === 'gone')?.state, 'not-live');
  });

  it('sends the power-on again to a host woken long ago that never heartbeated', () => {
    const since = new Date(NOW.getTime() - 11 * MIN).toISOString();
    const v = planPower(input([host('slow', { power: { state: 'powering-on', since } })]));
    assert.equal(actions(v).slow, 'on');
  });
});
