import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { FleetyardError, type ErrorCode } from '../../src/domain/errors.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { encodeCursor } from '../../src/store/pagination.ts';
import type { Store } from '../../src/store/store.ts';
import { engines, type Engine } from '../support/engines.ts';
import { aNetwork, aNewEvent, aResource } from '../support/objects.ts';

/** The same store contract, checked on SQLite and on PostgreSQL. */

const hasCode = (code: ErrorCode) => (e: unknown) => e instanceof FleetyardError && e.code === code;

async function open(t: TestContext, engine: Engine): Promise<Store> {
  const { store, cleanup } = await engine.openStore();
  t.after(cleanup);
  return store;
}

for (const engine of engines()) {
  describe(`store on ${engine.name}`, () => {
    test('insert, get and getByName return what was stored', async (t) => {
      const store = await open(t, engine);
      const r = aResource('rack1-node1', { labels: { rack: '1' } });
      await store.transaction((tx) => tx.resources.insert(r));
      assert.deepEqual(await store.read.resources.get(r.id), r);
      assert.deepEqual(await store.read.resources.getByName('rack1-node1'), r);
      assert.equal(await store.read.resources.get('0190b8a4-0000-7000-8000-000000000000'), undefined);
      assert.equal(await store.read.resources.getByName('nobody'), undefined);
      await assert.rejects(store.read.resources.require('missing'), hasCode('FY_NOT_FOUND'));
    });

    test('a name is unique within its kind: FY_NAME_TAKEN on insert and on rename', async (t) => {
      const store = await open(t, engine);
      await store.read.resources.insert(aResource('web'));
      await assert.rejects(store.read.resources.insert(aResource('web')), hasCode('FY_NAME_TAKEN'));
      const other = await store.read.resources.insert(aResource('db'));
      await assert.rejects(store.read.resources.update({ ...other, name: 'web' }, new Date()), hasCode('FY_NAME_TAKEN'));
      // Another kind may use the same name.
      await store.read.networks.insert(aNetwork('web'));
      assert.equal(await store.read.resources.count(), 2);
    });

    test('UTF-8 names and values round-trip unchanged', async (t) => {
      const store = await open(t, engine);
      const names = ['サーバー-1', 'naïve.café', 'Ωmega_3', 'сервер-02', '服务器'];
      for (const name of names) await store.read.resources.insert(aResource(name, { labels: { note: `ünï ${name} ✓` } }));
      for (const name of names) {
        const found = await store.read.resources.getByName(name);
        assert.equal(found?.name, name);
        assert.equal(found?.spec.labels.note, `ünï ${name} ✓`);
      }
      const listed = await store.read.resources.list({ filters: { name: 'naïve.café' } });
      assert.deepEqual(
        listed.items.map((r) => r.name),
        ['naïve.café'],
      );
    });

    test('two writers with the same version: exactly one wins, the other gets FY_VERSION_CONFLICT', async (t) => {
      const store = await open(t, engine);
      const r = await store.read.resources.insert(aResource('contended'));
      const write = (cpu: number) =>
        store.transaction((tx) =>
          tx.resources.update({ ...r, spec: { ...r.spec, capacity: { ...r.spec.capacity, cpu } } }, new Date(), true),
        );
      const results = await Promise.allSettled([write(4), write(8)]);
      const won = results.filter((x) => x.status === 'fulfilled');
      const lost = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(hasCode('FY_VERSION_CONFLICT')(lost[0]?.reason), String(lost[0]?.reason));
      const stored = await store.read.resources.require(r.id);
      assert.equal(stored.version, 2);
      assert.equal(stored.spec.capacity.cpu, (won[0] as PromiseFulfilledResult<Resource>).value.spec.capacity.cpu);
      // The loser's details say what it expected and what it found.
      assert.deepEqual((lost[0]?.reason as FleetyardError).details, { id: r.id, expected: 1, actual: 2 });
    });

    test('generation moves only when the spec changes; version moves on every write', async (t) => {
      const store = await open(t, engine);
      const r0 = await store.read.resources.insert(aResource('gen'));
      const r1 = await store.read.resources.update({ ...r0, status: { ...r0.status, state: 'active' } }, new Date());
      assert.deepEqual([r1.version, r1.generation], [2, 1]);
      const r2 = await store.read.resources.update({ ...r1, spec: { ...r1.spec, labels: { a: 'b' } } }, new Date(), true);
      assert.deepEqual([r2.version, r2.generation], [3, 2]);
      const stored = await store.read.resources.require(r0.id);
      assert.deepEqual([stored.version, stored.generation, stored.status.state], [3, 2, 'active']);
    });

    test('cursor pagination with filters: every match once, in id order, across pages', async (t) => {
      const store = await open(t, engine);
      const inserted: Resource[] = [];
      for (let i = 0; i < 23; i++) {
        const r = aResource(`node-${i}`, { type: i % 3 === 0 ? 'container' : 'vm', hostId: i % 2 === 0 ? 'host-a' : 'host-b' });
        inserted.push(await store.read.resources.insert(r));
      }
      const filters = { type: 'vm', hostId: 'host-a' };
      const expected = inserted.filter((r) => r.spec.type === 'vm' && r.spec.hostId === 'host-a').map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await store.read.resources.list({ filters, limit: 3, cursor });
        pages++;
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((r) => r.id));
        if (pages === 2) {
          // Written while someone pages: it sorts after every cursor handed out, so it shows up.
          const late = await store.read.resources.insert(aResource('late', { type: 'vm', hostId: 'host-a' }));
          expected.push(late.id);
        }
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, expected);
      assert.equal(new Set(seen).size, seen.length);
      assert.ok(pages > 2);
      assert.deepEqual(await store.read.resources.all(filters).then((a) => a.map((r) => r.id)), expected);
    });

    test('a resource role filter tells hosts, the servers they boot and the slots on them apart', async (t) => {
      const store = await open(t, engine);
      const host = await store.read.resources.insert(aResource('host-1', { type: 'physical', virtualizations: ['container'] }));
      const server = await store.read.resources.insert(aResource('server-1', { type: 'physical', hostId: host.id, mac: '52:54:00:00:00:01' }));
      const vm = await store.read.resources.insert(aResource('slot-vm', { type: 'vm', hostId: host.id }));
      const box = await store.read.resources.insert(aResource('slot-box', { type: 'container', hostId: host.id }));
      const names = async (filters: Record<string, string>) => (await store.read.resources.list({ filters })).items.map((r) => r.name);
      assert.deepEqual(await names({ role: 'host' }), [host.name]);
      assert.deepEqual(await names({ role: 'server' }), [server.name]);
      assert.deepEqual(await names({ role: 'slot' }), [vm.name, box.name]);
      assert.deepEqual(await names({ role: 'slot', type: 'container' }), [box.name], 'a role combines with the other filters');
      assert.deepEqual(await names({ role: 'server', hostId: host.id }), [server.name]);
      await assert.rejects(store.read.resources.list({ filters: { role: 'toaster' } }), hasCode('FY_VALIDATION'));
      await assert.rejects(store.read.resources.list({ filters: { role: 'constructor' } }), hasCode('FY_VALIDATION'));
    });

    test('a malformed cursor is FY_BAD_CURSOR; an unknown filter is FY_VALIDATION', async (t) => {
      const store = await open(t, engine);
      await store.read.resources.insert(aResource('only'));
      for (const cursor of ['not a cursor', Buffer.from('x1:abc').toString('base64url'), 'Yw', '%%%']) {
        await assert.rejects(store.read.resources.list({ cursor }), hasCode('FY_BAD_CURSOR'), cursor);
      }
      // A well-formed cursor past the end is an empty last page, not an error.
      const end = await store.read.resources.list({ cursor: encodeCursor('ffffffff-ffff-7fff-bfff-ffffffffffff') });
      assert.deepEqual(end, { items: [], nextCursor: null });
      await assert.rejects(store.read.resources.list({ filters: { colour: 'red' } }), hasCode('FY_VALIDATION'));
    });

    test('a rolled-back transaction leaves neither the change nor its event', async (t) => {
      const store = await open(t, engine);
      const r = aResource('ghost');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.resources.insert(r);
          await tx.emit(aNewEvent(r.id));
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await store.read.resources.get(r.id), undefined);
      assert.deepEqual(await store.read.events.list(), []);
      assert.deepEqual(await store.read.events.unpublished(10), []);
    });

    test('the outbox: events committed with a change stay unpublished until marked', async (t) => {
      const store = await open(t, engine);
      const r = aResource('outboxed');
      await store.transaction(async (tx) => {
        await tx.resources.insert(r);
        await tx.emit({ type: 'resource.registered', kind: 'resource', objectId: r.id, message: 'registered', data: { hostId: r.id } });
        await tx.emit({ type: 'resource.power', kind: 'resource', objectId: r.id, message: 'powered', data: { powerState: 'on', previous: 'unknown' } });
      });
      await store.transaction((tx) => tx.emit(aNewEvent(r.id)));
      const pending = await store.read.events.unpublished(10);
      assert.deepEqual(
        pending.map((e) => e.type),
        ['resource.registered', 'resource.power', 'resource.removed'],
      );
      assert.ok(pending.every((e, i) => i === 0 || e.seq > (pending[i - 1]?.seq ?? Infinity)));
      assert.equal(new Set(pending.map((e) => e.id)).size, 3);
      assert.deepEqual(pending.map((e) => e.data), [{ hostId: r.id }, { powerState: 'on', previous: 'unknown' }, {}]);

      await store.read.events.markPublished(
        pending.slice(0, 2).map((e) => e.seq),
        new Date(),
      );
      assert.deepEqual(
        (await store.read.events.unpublished(10)).map((e) => e.id),
        [pending[2]?.id],
      );
      // Marking changes nothing else: the log still has all three.
      assert.deepEqual(
        (await store.read.events.list({ objectId: r.id })).map((e) => e.id),
        pending.map((e) => e.id),
      );
      assert.equal(await store.read.events.lastSeq(), pending[2]?.seq);
    });

    test('address claims are exclusive when appliances race for one address', async (t) => {
      const store = await open(t, engine);
      const net = await store.read.networks.insert(aNetwork('lan'));
      const racers = Array.from({ length: 8 }, (_, i) => `appliance-${i}`);
      const claims = await Promise.all(
        racers.map((a) => store.transaction((tx) => tx.addresses.claim(net.id, '10.0.0.5', a, new Date()))),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      const winner = racers[claims.indexOf(true)] as string;
      assert.equal(await store.read.addresses.forAppliance(net.id, winner), '10.0.0.5');
      assert.deepEqual(await store.read.addresses.taken(net.id), new Set(['10.0.0.5']));
      assert.equal(await store.read.addresses.count(), 1);
    });

    test('a lost claim leaves the transaction usable for the next address', async (t) => {
      const store = await open(t, engine);
      const net = await store.read.networks.insert(aNetwork('lan'));
      await store.read.addresses.claim(net.id, '10.0.0.2', 'first', new Date());
      const got = await store.transaction(async (tx) => {
        for (const address of ['10.0.0.2', '10.0.0.3']) {
          if (await tx.addresses.claim(net.id, address, 'second', new Date())) return address;
        }
        return undefined;
      });
      assert.equal(got, '10.0.0.3');
      assert.equal(await store.read.addresses.forAppliance(net.id, 'second'), '10.0.0.3');
      // One address per appliance and network: a second claim by the holder is refused too.
      assert.equal(await store.read.addresses.claim(net.id, '10.0.0.4', 'second', new Date()), false);
      await store.read.addresses.releaseAll('second');
      assert.deepEqual(await store.read.addresses.taken(net.id), new Set(['10.0.0.2']));
    });
  });
}
