import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Product } from '../../src/domain/product.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { User } from '../../src/domain/user.ts';
import type { PowerReport } from '../../src/power/power-manager.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { startPoweredSimHost, type PoweredSimHost } from '../support/ha/powered-sim-host.ts';
import { SessionClient } from '../support/session.ts';

/**
 * Green IT on simulated hosts behind real simulated BMCs (ipmi_sim, switched with ipmitool), on
 * a fake clock so idle times and reservations an hour ahead pass in moments: as load falls, idle
 * hosts are powered off down to the spare count and a host with appliances never is; a host whose
 * BMC fails is not cycled; a reservation ahead wakes its host before it starts, and the request
 * is active on time. Each host's agent runs only while its BMC's power is on.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const IDLE_MS = 10 * MINUTE;
const LEAD_MS = 5 * MINUTE;
const BOOT_MS = MINUTE;
let cloud: CloudFixture;
let dir: string;
const hosts: PoweredSimHost[] = [];

before(async () => {
  cloud = await startCloud({
    // The embedded agent is no host: the simulated hosts below are the whole fleet.
    drivers: [],
    policy: { autoApproveMaxCcu: 1_000_000, provisionLeadMs: 2 * MINUTE },
    controlPlane: {
      // A lease longer than any jump of the clock here: leases are not what this test is about.
      leaseMs: 24 * HOUR,
      fencing: 'ipmitool',
      powerManagement: { enabled: true, idleMs: IDLE_MS, spareHosts: 1, leadMs: LEAD_MS, defaultBootMs: BOOT_MS, bootTimeoutMs: HOUR, intervalMs: 200, retryMs: 1_000 },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'fy-power-'));
  for (const name of ['pw-a', 'pw-b', 'pw-c']) hosts.push(await startPoweredSimHost({ name, dir, api: cloud.admin, bus: cloud.cp.bus, clock: cloud.clock, storageDir: join(cloud.dataDir, 'storage', 'local') }));
});

after(async () => {
  for (const h of hosts) await h.stop().catch(() => undefined);
  await cloud?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hostRow = (id: string) => cloud.admin.ok<Resource>('GET', `/api/v1/resources/${id}`);
const powerOf = async (h: PoweredSimHost) => (await hostRow(h.hostId)).status.power?.state ?? 'awake';
const plan = () => cloud.admin.ok<PowerReport>('GET', '/api/v1/power/plan');
const eventsOf = async (objectId: string): Promise<FleetyardEvent[]> => (await cloud.admin.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?objectId=${objectId}&limit=500`)).items;
const advance = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));
const offHosts = async () => {
  const out: PoweredSimHost[] = [];
  for (const h of hosts) if ((await powerOf(h)) === 'off') out.push(h);
  return out;
};

describe('the power manager', () => {
  let busy: PoweredSimHost;
  let load: Appliance;

  it('powers idle hosts off down to the spare count, and never one with appliances', async () => {
    load = await cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'load', imageId: cloud.product.spec.imageId, requirements: { virtualization: 'sim' } });
    await cloud.admin.waitAppliances([load.id], (a) => a?.status.phase === 'running', 'load running');
    load = await cloud.admin.ok<Appliance>('GET', `/api/v1/appliances/${load.id}`);
    busy = hosts.find((h) => h.hostId === load.status.hostId) as PoweredSimHost;
    assert.ok(busy, 'the appliance runs on one of the hosts');

    // Not before the idle time is up.
    const early = await plan();
    assert.equal(early.enabled, true);
    assert.ok(early.hosts.every((h) => h.action === 'none'), JSON.stringify(early.hosts));
    advance(IDLE_MS + MINUTE);
    await cloud.until(async () => (await offHosts()).length === 1, 'one idle host powered off', 30_000);
    const [off] = await offHosts();
    assert.ok(off && off !== busy);
    assert.equal(await off.bmc.power(), 'off');
    assert.deepEqual(await off.bmc.actions(), ['0'], 'one power-off through its BMC');
    await cloud.until(() => !off.running(), 'its agent stops with its power');
    const types = (await eventsOf(off.hostId)).map((e) => e.type);
    assert.ok(types.indexOf('host.powering-off') < types.indexOf('host.powered-off') && types.includes('host.powering-off'), types.join(', '));

    const report = await plan();
    const spare = hosts.find((h) => h !== busy && h !== off) as PoweredSimHost;
    assert.match(report.hosts.find((h) => h.hostId === spare.hostId)?.reason ?? '', /spare/);
    assert.match(report.hosts.find((h) => h.hostId === busy.hostId)?.reason ?? '', /runs 1 appliance/);
    assert.equal((await hostRow(off.hostId)).status.lease?.state ?? 'live', 'live', 'an asleep host is not a failed one');

    // Load falls: the busy host becomes idle too, and after its idle time one more sleeps.
    assert.deepEqual(await busy.bmc.actions(), [], 'the host with an appliance was never powered off');
    await cloud.admin.ok('DELETE', `/api/v1/appliances/${load.id}`);
    await cloud.admin.waitAppliances([load.id], (a) => a === undefined, 'load deleted');
    await cloud.until(async () => (await plan()).hosts.find((h) => h.hostId === busy.hostId)?.reason.startsWith('idle for') ?? false, 'the busy host counted idle');
    advance(IDLE_MS + MINUTE);
    await cloud.until(async () => (await offHosts()).length === 2, 'down to the one spare', 30_000);
    // Each machine's agent stops with its power, a moment after the BMC cut it.
    await cloud.until(() => hosts.filter((h) => h.running()).length === 1, 'one spare stays on');
    advance(HOUR);
    const saved = await plan();
    assert.ok(saved.hostHoursOff >= 2, `host-hours off: ${saved.hostHoursOff}`);
  });

  it('wakes a host ahead of its reservation, and the request is active on time', async () => {
    const mem = Math.floor((await hostRow(hosts[0]!.hostId)).spec.capacity.memoryMiB * 0.6);
    const product = await cloud.admin.ok<Product>('POST', '/api/v1/products', {
      name: 'whole-host',
      imageId: cloud.product.spec.imageId,
      sizes: [{ name: 'big', cpu: 1, memoryMiB: mem, diskMiB: 0 }],
      virtualizations: ['sim'],
    });
    const password = 'pw-power-user-correct-horse';
    const user = await cloud.admin.ok<User>('POST', '/api/v1/users', { name: 'paula', email: 'paula@example.test', sshPublicKey: null, password });
    await cloud.admin.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu: 1_000_000, note: 'credits' });
    const session = new SessionClient(cloud.cp.url);
    await session.login('paula', password);
    const startAt = cloud.clock.now().getTime() + 2 * HOUR;
    // Two units that each take most of a host: one on the awake spare, one on a sleeping host.
    let request = await session.ok<CloudRequest>('POST', '/api/v1/cloud/requests', {
      productId: product.id,
      size: 'big',
      quantity: 2,
      startAt: new Date(startAt).toISOString(),
      endAt: new Date(startAt + HOUR).toISOString(),
    });
    await cloud.until(async () => (await session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`)).status.state === 'approved', 'approved');
    const reservations = await cloud.cp.store.read.cloud.reservations({ requestId: request.id });
    assert.equal(reservations.length, 2);
    const sleeper = hosts.find((h) => reservations.some((r) => r.hostId === h.hostId) && !h.running()) as PoweredSimHost;
    assert.ok(sleeper, 'a unit is reserved on a sleeping host');

    // Before its lead time and boot time, it sleeps on.
    cloud.clock.set(new Date(startAt - LEAD_MS - BOOT_MS - 10 * MINUTE));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(await powerOf(sleeper), 'off');
    cloud.clock.set(new Date(startAt - LEAD_MS - BOOT_MS + MINUTE));
    await cloud.until(async () => (await powerOf(sleeper)) === 'awake', 'the reserved host awake', 30_000);
    assert.deepEqual(await sleeper.bmc.actions(), ['0', '1'], 'powered off once, on once');
    const types = (await eventsOf(sleeper.hostId)).map((e) => e.type);
    assert.ok(types.includes('host.powering-on') && types.includes('host.woke'), types.join(', '));

    // The provisioning lead: the request runs before its window starts.
    cloud.clock.set(new Date(startAt - MINUTE));
    await cloud.until(async () => (await session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`)).status.state === 'active', 'active', 30_000);
    assert.ok(cloud.clock.now().getTime() < startAt, 'active before its start');
    request = await session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`);
    const on = await Promise.all(request.status.applianceIds.map(async (id) => (await cloud.admin.ok<Appliance>('GET', `/api/v1/appliances/${id}`)).status.hostId));
    assert.ok(on.includes(sleeper.hostId), 'a unit runs on the host woken for it');
    for (const h of hosts) {
      if (on.includes(h.hostId)) assert.equal(await powerOf(h), 'awake', `${h.name} runs a unit and is awake`);
    }
  });

  it('does not cycle a host whose BMC fails: the power-off is retried until the BMC confirms it', async () => {
    // Both units ran on hosts that were then busy, so the third was woken as the spare (or for
    // the reservation, had it been made there); the request's end frees them, and every BMC
    // stops answering before the idle time is up.
    await cloud.until(() => hosts.every((h) => h.running()), 'all three hosts on');
    const before = new Map(await Promise.all(hosts.map(async (h) => [h, await h.bmc.actions()] as const)));
    for (const h of hosts) await h.bmc.kill();
    advance(2 * HOUR);
    await cloud.until(async () => (await cloud.admin.ok<{ items: Appliance[] }>('GET', '/api/v1/appliances?limit=10')).items.length === 0, 'the request de-provisioned', 30_000);
    await cloud.until(async () => (await plan()).hosts.filter((h) => h.reason.startsWith('idle for') || /spare/.test(h.reason)).length === 3, 'all three hosts counted idle');
    advance(IDLE_MS + MINUTE);
    const failing = async () => {
      const out: PoweredSimHost[] = [];
      for (const h of hosts) if ((await powerOf(h)) === 'powering-off' && ((await hostRow(h.hostId)).status.power?.failures ?? 0) >= 1) out.push(h);
      return out;
    };
    await cloud.until(async () => (await failing()).length === 2, 'two power-offs failed', 90_000);
    const flaky = await failing();
    const spare = hosts.find((h) => !flaky.includes(h)) as PoweredSimHost;
    assert.equal(await powerOf(spare), 'awake', 'the third stays on as the spare');
    for (const h of flaky) {
      const failed = (await eventsOf(h.hostId)).filter((e) => e.type === 'host.power-failed');
      assert.match(failed[0]?.message ?? '', /powering it off failed/);
      assert.equal(h.running(), true, 'still on: its power was never cut');
      assert.deepEqual(await h.bmc.actions(), before.get(h), 'no power action reached the machine');
      assert.equal((await hostRow(h.hostId)).status.lease?.state ?? 'live', 'live', 'a BMC error makes no failed host');
    }
    for (const h of hosts) await h.bmc.revive();
    // Past their backoff (on this clock, which moves only when told), the power-offs are tried again.
    advance(10 * MINUTE);
    await cloud.until(async () => (await offHosts()).length === 2, 'powered off once their BMCs answer', 90_000);
    for (const h of flaky) assert.deepEqual(await h.bmc.actions(), [...(before.get(h) ?? []), '0'], `${h.name}: one power-off, no power-on in between`);
    assert.deepEqual(await spare.bmc.actions(), before.get(spare), 'the spare was left alone');
  });
});
