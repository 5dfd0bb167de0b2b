import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { FleetyardError } from '../../src/domain/errors.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import type { StoredStack } from '../../src/store/stack-repo.ts';
import type { Store } from '../../src/store/store.ts';
import { engines, type Engine } from '../support/engines.ts';

/** Stacks and their instances (migration 011), the same on SQLite and on PostgreSQL. */

const conflict = (e: unknown) => e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT';
const ids = uuidV7Ids;
const at = new Date('2026-03-02T08:00:00Z');

async function open(t: TestContext, engine: Engine): Promise<Store> {
  const { store, cleanup } = await engine.openStore();
  t.after(cleanup);
  return store;
}

const aStack = (ownerId: string, name: string): StoredStack => ({
  id: ids.next(),
  ownerId,
  name,
  yaml: `metadata:\n  name: ${name}\n`,
  version: 1,
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
});

for (const engine of engines()) {
  describe(`stacks on ${engine.name}`, () => {
    test('a name is unique per owner: another owner may use it, the same owner conflicts', async (t) => {
      const store = await open(t, engine);
      const [alice, bob] = [ids.next(), ids.next()];
      const mine = await store.read.stacks.insert(aStack(alice, 'shop'));
      await store.read.stacks.insert(aStack(bob, 'shop'));
      await assert.rejects(store.read.stacks.insert(aStack(alice, 'shop')), conflict);
      assert.deepEqual(await store.read.stacks.get(alice, 'shop'), mine);
      assert.equal((await store.read.stacks.get(bob, 'shop'))?.ownerId, bob);
      assert.equal(await store.read.stacks.get(ids.next(), 'shop'), undefined);
    });

    test('an update writes only over the version it read, and moves it', async (t) => {
      const store = await open(t, engine);
      const s = await store.read.stacks.insert(aStack(ids.next(), 'lab'));
      const next = await store.read.stacks.update(s, 'changed\n', new Date(at.getTime() + 1000));
      assert.deepEqual([next.version, next.yaml, next.updatedAt], [2, 'changed\n', '2026-03-02T08:00:01.000Z']);
      assert.deepEqual(await store.read.stacks.get(s.ownerId, 'lab'), next);
      await assert.rejects(store.read.stacks.update(s, 'stale\n', at), conflict);
      await assert.rejects(store.read.stacks.delete(s), conflict);
      assert.equal((await store.read.stacks.get(s.ownerId, 'lab'))?.yaml, 'changed\n');
    });

    test('instances are put, replaced, removed, and go with their stack', async (t) => {
      const store = await open(t, engine);
      const s = await store.read.stacks.insert(aStack(ids.next(), 'shop'));
      const other = await store.read.stacks.insert(aStack(ids.next(), 'shop'));
      const put = (stackId: string, member: string, ordinal: number, objectId = ids.next()) =>
        store.read.stacks.putInstance({ stackId, member, ordinal, kind: 'request', objectId, productId: 'p', createdAt: at.toISOString() });
      await put(s.id, 'web', 2);
      await put(s.id, 'web', 1);
      await put(s.id, 'db', 1);
      await put(other.id, 'web', 1);
      const replacement = ids.next();
      await put(s.id, 'web', 2, replacement);
      const listed = await store.read.stacks.instances(s.id);
      assert.deepEqual(listed.map((i) => [i.member, i.ordinal]), [['db', 1], ['web', 1], ['web', 2]]);
      assert.equal(listed[2]?.objectId, replacement);
      assert.equal(await store.read.stacks.countInstances(s.id), 3);
      await store.read.stacks.removeInstance(s.id, 'db', 1);
      assert.equal(await store.read.stacks.countInstances(s.id), 2);
      await store.read.stacks.delete(s);
      assert.equal(await store.read.stacks.get(s.ownerId, 'shop'), undefined);
      assert.deepEqual(await store.read.stacks.instances(s.id), []);
      assert.equal(await store.read.stacks.countInstances(other.id), 1, "another stack's instances stay");
    });

    test('lists page by cursor, narrowed to one owner when asked', async (t) => {
      const store = await open(t, engine);
      const owner = ids.next();
      for (const name of ['a', 'b', 'c']) await store.read.stacks.insert(aStack(owner, name));
      await store.read.stacks.insert(aStack(ids.next(), 'theirs'));
      const first = await store.read.stacks.list({ ownerId: owner, limit: 2 });
      assert.deepEqual(first.items.map((s) => s.name), ['a', 'b']);
      const rest = await store.read.stacks.list({ ownerId: owner, limit: 2, cursor: first.nextCursor ?? undefined });
      assert.deepEqual([rest.items.map((s) => s.name), rest.nextCursor], [['c'], null]);
      assert.equal((await store.read.stacks.list({})).items.length, 4);
    });
  });
}
