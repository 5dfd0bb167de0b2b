import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { PlacementPlanner } from '../../src/reconcile/placement-planner.ts';
import { Store } from '../../src/store/store.ts';
import { createPostgresDatabase } from '../support/engines.ts';
import { aNetwork, anAppliance, anImage, aResource, aStorage } from '../support/objects.ts';

/**
 * Two schedulers (two processes' planners, each with its own connection pool) place the same
 * appliances on one PostgreSQL database at once, every appliance asked of both: no host ever holds
 * more than it has, no appliance is placed twice, no address is handed out twice, and as many
 * appliances are placed as the hosts have room for. The planner's committing transaction is what
 * makes it so (the chosen host's version, the capacity epoch); nothing here coordinates them.
 */
const HOSTS = 3;
const APPLIANCES = 30;
const MEMORY = 1024;
const EACH = 256;

test('two planners on one PostgreSQL at once never overcommit a host, nor place an appliance twice', async (t) => {
  const pg = await createPostgresDatabase();
  t.after(pg.drop);
  const clock = new FakeClock(new Date('2026-06-01T00:00:00Z'));
  const stores = [await Store.open(pg.url, uuidV7Ids, clock), await Store.open(pg.url, uuidV7Ids, clock)] as const;
  t.after(() => Promise.all(stores.map((s) => s.close())));
  const [one] = stores;

  const hosts: Resource[] = [];
  const appliances: Appliance[] = [];
  await one.transaction(async (tx) => {
    const storage = await tx.storages.insert(aStorage());
    const image = await tx.images.insert(anImage('base', storage.id));
    await tx.networks.insert({ ...aNetwork('default'), spec: { bridge: 'fytplan0', cidr: '10.77.0.0/24', gateway: '10.77.0.1', excluded: [] } });
    for (let i = 0; i < HOSTS; i++) {
      const h = aResource(`host-${i}`, { type: 'physical', capacity: { cpu: 64, memoryMiB: MEMORY, diskMiB: 100_000 }, virtualizations: ['sim'] });
      hosts.push(await tx.resources.insert({ ...h, status: { ...h.status, state: 'active', powerState: 'on', lastHeartbeatAt: clock.now().toISOString() } }));
    }
    for (let i = 0; i < APPLIANCES; i++) {
      const a = anAppliance(`app-${i}`, image.id, { requirements: { virtualization: 'sim', cpu: 1, memoryMiB: EACH, diskMiB: 0 }, status: { phase: 'pending' } });
      appliances.push(await tx.appliances.insert({ ...a, spec: { ...a.spec, desiredState: 'running' } }));
    }
  });

  const planners = stores.map((s) => new PlacementPlanner(s, 1));
  let conflicts = 0;
  /** What the reconciler does: read the appliance again, place it unless placed, again after a conflict. */
  const placeOnce = async (planner: PlacementPlanner, store: Store, id: string): Promise<void> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await store.read.appliances.require(id);
      if (current.status.hostId !== null) return;
      try {
        await planner.place(current);
        return;
      } catch (e) {
        if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT')) throw e;
        conflicts++;
      }
    }
    throw new Error(`appliance ${id} kept conflicting`);
  };
  await Promise.all(appliances.flatMap((a) => planners.map((p, i) => placeOnce(p, stores[i] as Store, a.id))));

  const resources = await one.read.resources.all();
  const placed = (await one.read.appliances.all()).filter((a) => a.status.hostId !== null);
  assert.equal(placed.length, HOSTS * (MEMORY / EACH), 'as many as the hosts have room for, and no more');
  for (const h of hosts) {
    const slots = resources.filter((r) => r.spec.hostId === h.id);
    const used = slots.reduce((m, s) => m + s.spec.capacity.memoryMiB, 0);
    assert.ok(used <= MEMORY, `${h.name} holds ${used} MiB of ${MEMORY}`);
  }
  const slotOwners = resources.filter((r) => r.spec.hostId !== null).map((r) => r.status.applianceId);
  assert.equal(new Set(slotOwners).size, slotOwners.length, 'one slot per appliance');
  assert.deepEqual([...slotOwners].sort(), placed.map((a) => a.id).sort(), 'each placed appliance has its slot, and only they');
  const addresses = placed.map((a) => a.status.address);
  assert.equal(new Set(addresses).size, addresses.length, 'no address handed out twice');
  t.diagnostic(`${conflicts} version conflicts retried`);
});
