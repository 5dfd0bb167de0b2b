import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BillingRepo } from '../../src/billing/billing-repo.ts';
import { summarizeInventory } from '../../src/cloud/capacity-summary.ts';
import type { CloudRequest, RequestState } from '../../src/domain/cloud-request.ts';
import type { Resource, ResourceSpec } from '../../src/domain/resource.ts';
import { DashboardRepo } from '../../src/store/dashboard-repo.ts';
import type { Store } from '../../src/store/store.ts';
import { engines } from '../support/engines.ts';
import { anAppliance, anImage, aResource, aStorage } from '../support/objects.ts';

/**
 * The dashboard's aggregates on both engines: the counts, the sums of capacities read out of the
 * JSON spec by the database, and the capacity arithmetic on top of them, against a small data
 * center whose figures are worked out by hand here.
 */
const NOW = new Date('2026-03-02T10:30:00.000Z');
const HOUR = 3_600_000;
const iso = (msFromNow: number) => new Date(NOW.getTime() + msFromNow).toISOString();

function host(name: string, virtualizations: ResourceSpec['virtualizations'], capacity: Resource['spec']['capacity'], status: Partial<Resource['status']>): Resource {
  const r = aResource(name, { type: 'physical', hostId: null, capacity, virtualizations });
  return { ...r, status: { ...r.status, state: 'active', powerState: 'on', ...status } };
}

function slot(name: string, hostId: string, type: 'container' | 'vm', cpu: number, memoryMiB: number, labels: Record<string, string>): Resource {
  const r = aResource(name, { type, hostId, capacity: { cpu, memoryMiB, diskMiB: 0 }, labels });
  return { ...r, status: { ...r.status, state: 'active', applianceId: 'some-appliance' } };
}

function server(name: string, hostId: string, opts: { inUse: boolean; bootable: boolean; powerState: Resource['status']['powerState']; cpu: number; memoryMiB: number }): Resource {
  const r = aResource(name, {
    type: 'physical',
    hostId,
    capacity: { cpu: opts.cpu, memoryMiB: opts.memoryMiB, diskMiB: 0 },
    mac: opts.bootable ? '52:54:00:00:00:0a' : null,
    bmc: opts.bootable ? { address: '127.0.0.1', port: 623, user: 'admin', passwordSealed: 'sealed' } : null,
  });
  return { ...r, status: { ...r.status, state: opts.inUse ? 'active' : 'idle', powerState: opts.powerState, applianceId: opts.inUse ? 'an-appliance' : null } };
}

const aRequest = (name: string, state: RequestState) => ({ ...aResource(name), spec: { ownerId: 'u1' }, status: { state } }) as unknown as CloudRequest;

async function seed(store: Store): Promise<{ h1: Resource; h2: Resource; h3: Resource }> {
  const h1 = host('h1', ['container', 'qemu'], { cpu: 4, memoryMiB: 8192, diskMiB: 100_000 }, { lastHeartbeatAt: iso(-5_000) });
  const h2 = host('h2', ['container'], { cpu: 2, memoryMiB: 4096, diskMiB: 50_000 }, { lastHeartbeatAt: iso(-10 * 60_000), state: 'unknown', powerState: 'unknown' });
  const h3 = host('h3', ['physical'], { cpu: 2, memoryMiB: 2048, diskMiB: 10_000 }, { lastHeartbeatAt: iso(-1_000) });
  await store.transaction(async (tx) => {
    for (const h of [h1, h2, h3]) await tx.resources.insert(h);
    await tx.resources.insert(slot('s-c1', h1.id, 'container', 1, 512, { 'fleetyard.io/virtualization': 'container' }));
    await tx.resources.insert(slot('s-q1', h1.id, 'vm', 2, 1024, { 'fleetyard.io/virtualization': 'qemu' }));
    await tx.resources.insert(slot('s-r1', h1.id, 'container', 1, 256, { 'fleetyard.io/virtualization': 'container', 'fleetyard.io/reservation': 'res-1' }));
    // A slot from before slots were labelled: its type says what it is.
    await tx.resources.insert(slot('s-c2', h2.id, 'container', 1, 256, {}));
    await tx.resources.insert(server('m-idle', h3.id, { inUse: false, bootable: true, powerState: 'off', cpu: 8, memoryMiB: 16_384 }));
    await tx.resources.insert(server('m-used', h3.id, { inUse: true, bootable: true, powerState: 'on', cpu: 16, memoryMiB: 32_768 }));
    await tx.resources.insert(server('m-found', h3.id, { inUse: false, bootable: false, powerState: 'unknown', cpu: 0, memoryMiB: 0 }));
    const reservation = { requestId: 'r-1', hostId: h1.id, cpu: 2, memoryMiB: 1024, diskMiB: 0 };
    await tx.cloud.insertReservation({ ...reservation, id: 'res-1', unit: 0, startAt: iso(-HOUR), endAt: iso(HOUR) });
    await tx.cloud.insertReservation({ ...reservation, id: 'res-2', unit: 1, startAt: iso(2 * HOUR), endAt: iso(3 * HOUR) });

    const storage = await tx.storages.insert(aStorage());
    const image = await tx.images.insert(anImage('base', storage.id));
    const phases = ['running', 'running', 'running', 'stopped', 'stopped', 'failed'] as const;
    for (const [i, phase] of phases.entries()) await tx.appliances.insert(anAppliance(`a-${i}`, image.id, { status: { phase } }));
    for (const [i, state] of (['active', 'active', 'new'] as const).entries()) await tx.requests.insert(aRequest(`r-${i}`, state));
  });
  return { h1, h2, h3 };
}

async function seedBilling(store: Store): Promise<void> {
  const billing = new BillingRepo(store.db);
  const meter = (id: string, ccuPerHourMilli: number, stoppedAt: string | null) =>
    billing.insertMeter({ id, userId: 'u1', requestId: 'r-0', applianceId: null, ccuPerHourMilli, components: [], startedAt: iso(-5 * HOUR), stoppedAt, postedUntil: iso(-5 * HOUR) });
  await meter('m1', 12_500, null);
  await meter('m2', 1_000, iso(-HOUR));
  let n = 0;
  const debit = async (meterId: string, periodStart: string, amountMilli: number) => {
    n += 1;
    const usage = { id: `u-${n}`, meterId, userId: 'u1', requestId: 'r-0', periodStart, periodEnd: new Date(Date.parse(periodStart) + HOUR).toISOString(), seconds: 3600, amountMilli, components: [], idempotencyKey: `usage-${n}`, createdAt: NOW.toISOString() };
    await billing.insertUsageIfAbsent(usage);
    await billing.insertEntryIfAbsent({ id: `l-${n}`, userId: 'u1', kind: 'debit', amountMilli: -amountMilli, usageRecordId: usage.id, idempotencyKey: `debit-${n}`, note: 'usage', createdAt: NOW.toISOString() });
  };
  await debit('m1', '2026-03-02T08:00:00.000Z', 12_500);
  await debit('m2', '2026-03-02T08:00:00.000Z', 1_000);
  await debit('m1', '2026-03-02T09:00:00.000Z', 12_500);
  // Usage that began mid-hour counts for that hour; usage before the span not at all.
  await debit('m2', '2026-03-02T09:20:00.000Z', 667);
  await debit('m1', '2026-03-01T20:00:00.000Z', 12_500);
  // A grant is no burn.
  await billing.insertEntryIfAbsent({ id: 'g-1', userId: 'u1', kind: 'grant', amountMilli: 100_000, usageRecordId: null, idempotencyKey: 'grant-1', note: 'welcome', createdAt: NOW.toISOString() });
}

const cap = (cpu: number, memoryMiB: number, diskMiB: number) => ({ cpu, memoryMiB, diskMiB });

for (const engine of engines()) {
  describe(`the dashboard's aggregates on ${engine.name}`, () => {
    test('count appliances by phase and requests by state', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      await seed(store);
      const repo = new DashboardRepo(store.db, store.dialect);
      assert.deepEqual(Object.fromEntries(await repo.countsBy('appliances')), { running: 3, stopped: 2, failed: 1 });
      assert.deepEqual(Object.fromEntries(await repo.countsBy('cloud_requests')), { active: 2, new: 1 });
    });

    test('sum slots, servers and reservations, and give capacity used and free by virtualization', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      const { h1, h2, h3 } = await seed(store);
      const repo = new DashboardRepo(store.db, store.dialect);
      const slots = await repo.slotUsage();
      const byKey = (hostId: string, v: string, reserved: boolean) => slots.find((s) => s.hostId === hostId && s.virtualization === v && s.reserved === reserved);
      assert.equal(slots.length, 4);
      assert.deepEqual(byKey(h1.id, 'container', false), { hostId: h1.id, virtualization: 'container', reserved: false, units: 1, ...cap(1, 512, 0) });
      assert.deepEqual(byKey(h1.id, 'qemu', false), { hostId: h1.id, virtualization: 'qemu', reserved: false, units: 1, ...cap(2, 1024, 0) });
      assert.deepEqual(byKey(h1.id, 'container', true)?.memoryMiB, 256);
      assert.deepEqual(byKey(h2.id, 'container', false)?.units, 1);
      const servers = await repo.serverUsage();
      assert.equal(servers.reduce((n, s) => n + s.units, 0), 3);
      assert.deepEqual(servers.find((s) => s.inUse), { hostId: h3.id, state: 'active', powerState: 'on', inUse: true, bootable: true, units: 1, ...cap(16, 32_768, 0) });
      assert.deepEqual(await repo.reservedAt(NOW), [{ hostId: h1.id, ...cap(2, 1024, 0) }]);

      const summary = summarizeInventory({ now: NOW, cpuAllocationRatio: 4, hosts: await repo.hosts(), slots, servers, reserved: await repo.reservedAt(NOW) });
      // h1 offers 16 CPUs (4 × 4); 3 are taken by unreserved slots and 2 held by the reservation.
      assert.deepEqual(summary.capacity, [
        { virtualization: 'container', hosts: 2, liveHosts: 1, units: 3, freeUnits: null, total: cap(24, 12_288, 150_000), used: cap(3, 1024, 0), reserved: cap(2, 1024, 0), free: cap(11, 5632, 100_000) },
        { virtualization: 'qemu', hosts: 1, liveHosts: 1, units: 1, freeUnits: null, total: cap(16, 8192, 100_000), used: cap(2, 1024, 0), reserved: cap(2, 1024, 0), free: cap(11, 5632, 100_000) },
        // The discovered machine has no BMC: it is counted, but no appliance can take it.
        { virtualization: 'physical', hosts: 1, liveHosts: 1, units: 1, freeUnits: 1, total: cap(24, 49_152, 0), used: cap(16, 32_768, 0), reserved: cap(0, 0, 0), free: cap(8, 16_384, 0) },
      ]);
      assert.deepEqual(summary.hosts, { total: 3, live: 2, byState: { active: 2, idle: 0, off: 0, error: 0, unknown: 1 }, byPower: { on: 2, off: 0, unknown: 1 } });
      assert.deepEqual(summary.servers, { total: 3, inUse: 1, byState: { active: 1, idle: 2, off: 0, error: 0, unknown: 0 }, byPower: { on: 1, off: 1, unknown: 1 } });
    });

    test('sum the CCU debited per hour from the ledger, and what open meters burn now', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      await seedBilling(store);
      const billing = new BillingRepo(store.db);
      assert.deepEqual(Object.fromEntries(await billing.debitedPerHour('2026-03-02T00:00:00.000Z')), { '2026-03-02T08': 13_500, '2026-03-02T09': 13_167 });
      assert.equal(await billing.openBurnMilliPerHour(), 12_500);
    });
  });
}
