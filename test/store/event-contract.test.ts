import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { FleetyardError } from '../../src/domain/errors.ts';
import { EVENT_TYPE_NAMES, EVENT_TYPES, type NewEvent } from '../../src/domain/event-types.ts';
import type { Store } from '../../src/store/store.ts';
import { engines, type Engine } from '../support/engines.ts';
import { aNewEvent, aResource } from '../support/objects.ts';

/**
 * Events are a contract (src/domain/event-types.ts): the store checks each one when it is emitted
 * and records its owner with it, on both engines. A wrong emit fails loudly, with
 * FY_EVENT_INVALID, and takes the change it came with down too.
 */

const ALICE = '0190b8a4-0000-7000-8000-0000000000a1';
const BOB = '0190b8a4-0000-7000-8000-0000000000b2';
const APPLIANCE = '0190b8a4-0000-7000-8000-0000000000c3';

/** The issue paths of an FY_EVENT_INVALID, for asserting on what was wrong (never the message). */
const invalid = (paths: string[]) => (e: unknown) => {
  assert.ok(e instanceof FleetyardError, String(e));
  assert.equal(e.code, 'FY_EVENT_INVALID');
  const issues = (e.details?.issues as Array<{ path: string }> | undefined) ?? [];
  assert.deepEqual(issues.map((i) => i.path), paths);
  return true;
};

/** Casts past the type checker, which would refuse these at compile time; the store must too. */
const unchecked = (e: unknown) => e as NewEvent;

const created = (ownerId: string | null): NewEvent => ({
  type: 'appliance.created',
  kind: 'appliance',
  objectId: APPLIANCE,
  ownerId,
  message: 'created',
  data: { desiredState: 'running' },
});

async function open(t: TestContext, engine: Engine): Promise<Store> {
  const { store, cleanup } = await engine.openStore();
  t.after(cleanup);
  return store;
}

describe('the event registry', () => {
  test('has a kind, an owner rule, a description and a strict data schema for every type', () => {
    for (const type of EVENT_TYPE_NAMES) {
      const spec = EVENT_TYPES[type];
      assert.match(type, /^[a-z-]+(\.[a-z-]+)+$/, type);
      assert.ok(spec.description.length > 10 && !spec.description.includes('\n'), `${type} says in one line what happened`);
      // Strict: a field the registry does not know fails instead of slipping into the log.
      assert.equal(spec.data.def.catchall?._zod.def.type, 'never', `${type}: its data schema is a z.strictObject`);
    }
  });
});

for (const engine of engines()) {
  describe(`the event contract on ${engine.name}`, () => {
    test('refuses an unknown type, a wrong kind, bad data and a wrong owner, and rolls the change back', async (t) => {
      const store = await open(t, engine);
      const r = aResource('contract');
      const attempt = (e: NewEvent) =>
        store.transaction(async (tx) => {
          await tx.resources.insert(r);
          await tx.emit(e);
        });
      await assert.rejects(attempt(unchecked({ ...aNewEvent(r.id), type: 'resource.changed' })), (e: unknown) => {
        assert.ok(e instanceof FleetyardError && e.code === 'FY_EVENT_INVALID');
        assert.equal(e.details?.type, 'resource.changed');
        return true;
      });
      await assert.rejects(attempt(unchecked({ ...aNewEvent(r.id), kind: 'appliance' })), invalid(['kind']));
      await assert.rejects(
        attempt(unchecked({ type: 'resource.power', kind: 'resource', objectId: r.id, message: 'x', data: { powerState: 'dim', previous: 'on' } })),
        invalid(['data.powerState']),
      );
      await assert.rejects(attempt(unchecked({ ...aNewEvent(r.id), data: { extra: true } })), invalid(['data']));
      await assert.rejects(attempt(unchecked({ ...created(ALICE), data: {} })), invalid(['data.desiredState']));
      // An owned type without its owner, and an admin-only type with one.
      const { ownerId: _, ...ownerless } = created(ALICE) as NewEvent & { ownerId: string };
      await assert.rejects(attempt(unchecked(ownerless)), invalid(['ownerId']));
      await assert.rejects(attempt(unchecked({ ...aNewEvent(r.id), ownerId: ALICE })), invalid(['']));
      // Outside a transaction the check is the same.
      await assert.rejects(store.read.emit(unchecked({ ...aNewEvent(r.id), type: 'no.such-type' })), (e: unknown) => e instanceof FleetyardError && e.code === 'FY_EVENT_INVALID');
      assert.equal(await store.read.resources.get(r.id), undefined, 'the change went with its event');
      assert.deepEqual(await store.read.events.list(), []);
    });

    test('records the owner of each event and lists one owner\'s events', async (t) => {
      const store = await open(t, engine);
      await store.transaction(async (tx) => {
        await tx.emit(created(ALICE));
        await tx.emit({ type: 'user.logged-in', kind: 'user', objectId: BOB, message: 'bob logged in', data: {} });
        await tx.emit(aNewEvent('host-1'));
        await tx.emit(created(null));
        await tx.emit({ type: 'billing.grant', kind: 'billing', objectId: ALICE, message: 'credit', data: { entryId: 'e1', amountMilli: 1000 } });
      });
      const all = await store.read.events.list();
      assert.deepEqual(
        all.map((e) => [e.type, e.ownerId]),
        [
          ['appliance.created', ALICE],
          ['user.logged-in', BOB],
          ['resource.removed', null],
          ['appliance.created', null],
          ['billing.grant', ALICE],
        ],
      );
      assert.deepEqual((await store.read.events.list({ ownerId: ALICE })).map((e) => e.type), ['appliance.created', 'billing.grant']);
      assert.deepEqual((await store.read.events.list({ ownerId: BOB, afterSeq: all[0]?.seq })).map((e) => e.type), ['user.logged-in']);
      assert.deepEqual(await store.read.events.list({ ownerId: BOB, afterSeq: all[1]?.seq }), []);
      // What the relay publishes carries the owner too: the streams of other processes filter on it.
      assert.deepEqual((await store.read.events.unpublished(10)).map((e) => e.ownerId), [ALICE, BOB, null, null, ALICE]);
    });
  });
}
