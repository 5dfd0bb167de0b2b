import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Bus } from '../../src/bus/bus.ts';
import { OutboxRelay } from '../../src/bus/outbox-relay.ts';
import { FleetyardError, type ErrorCode } from '../../src/domain/errors.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import type { Store } from '../../src/store/store.ts';
import { engines, type Engine, type OpenedBus } from '../support/engines.ts';
import { eventually } from '../support/eventually.ts';
import { aNewEvent, anEvent } from '../support/objects.ts';

/**
 * The same bus contract, checked on the in-process bus and on NATS JetStream. Each engine's bus
 * is paired with its store for the outbox tests (SQLite with memory, PostgreSQL with NATS).
 */

const hasCode = (code: ErrorCode) => (e: unknown) => e instanceof FleetyardError && e.code === code;

async function openBus(t: TestContext, engine: Engine): Promise<OpenedBus> {
  const opened = await engine.openBus();
  t.after(opened.cleanup);
  return opened;
}

async function openStore(t: TestContext, engine: Engine): Promise<Store> {
  const { store, cleanup } = await engine.openStore();
  t.after(cleanup);
  return store;
}

/** A consumer that records every delivery; what it "applies" is keyed by event id (idempotent). */
class Recorder {
  readonly deliveries: FleetyardEvent[] = [];
  readonly applied = new Map<string, FleetyardEvent>();
  readonly handler = async (e: FleetyardEvent): Promise<void> => {
    this.deliveries.push(e);
    this.applied.set(e.id, e);
  };
  has(id: string): boolean {
    return this.applied.has(id);
  }
}

/**
 * Publishes a last event and waits for it: delivery is in order, so once it has arrived every
 * earlier delivery (including any duplicate) has arrived too. This is how the tests prove that
 * something did not happen without sleeping.
 */
async function settle(bus: Bus, r: Recorder): Promise<void> {
  const sentinel = anEvent(1_000_000, { sentinel: true });
  await bus.publish(sentinel);
  await eventually(() => r.has(sentinel.id), 'the sentinel event');
  r.deliveries.pop();
  r.applied.delete(sentinel.id);
}

for (const engine of engines()) {
  describe(`bus on ${engine.name}`, () => {
    test('publish then subscribe delivers every event once, in order', async (t) => {
      const { bus } = await openBus(t, engine);
      const r = new Recorder();
      await bus.subscribe('ordered', r.handler);
      const events = Array.from({ length: 25 }, (_, i) => anEvent(i + 1));
      for (const e of events) await bus.publish(e);
      await settle(bus, r);
      assert.deepEqual(
        r.deliveries.map((e) => e.seq),
        events.map((e) => e.seq),
      );
      assert.deepEqual(r.deliveries[3], events[3]);
    });

    test('an event whose handler throws comes again, and later events wait for it', async (t) => {
      const { bus } = await openBus(t, engine);
      const attempts = new Map<number, number>();
      const handled: number[] = [];
      await bus.subscribe('flaky', async (e) => {
        const n = (attempts.get(e.seq) ?? 0) + 1;
        attempts.set(e.seq, n);
        if (e.seq === 2 && n < 3) throw new Error('not yet');
        handled.push(e.seq);
      });
      for (const seq of [1, 2, 3]) await bus.publish(anEvent(seq));
      await eventually(() => handled.length === 3, 'three handled events');
      assert.deepEqual(handled, [1, 2, 3]);
      assert.equal(attempts.get(2), 3);
      assert.equal(attempts.get(3), 1);
    });

    test('publishing the same event id twice delivers it once', async (t) => {
      const { bus } = await openBus(t, engine);
      const r = new Recorder();
      await bus.subscribe('dedup', r.handler);
      const e = anEvent(1);
      await bus.publish(e);
      await bus.publish(e);
      await bus.publish({ ...e, message: 'same id, sent again' });
      await settle(bus, r);
      assert.deepEqual(r.deliveries, [e]);
    });

    test('a consumer that was away gets what was published meanwhile', async (t) => {
      const opened = await openBus(t, engine);
      if (!opened.durable) {
        // The memory bus keeps nothing for an absent consumer: a restarted process gets its
        // events from the outbox, which republishes whatever was committed but not yet marked.
        // That path is what this engine is held to; see the outbox tests below.
        const store = await openStore(t, engine);
        const committed = await commitEvents(store, 3);
        const r = new Recorder();
        await opened.bus.subscribe('returning', r.handler);
        await flushOutbox(store, opened.bus);
        await settle(opened.bus, r);
        assert.deepEqual([...r.applied.keys()], committed);
        return;
      }
      const first = new Recorder();
      const sub = await opened.bus.subscribe('returning', first.handler);
      const before = anEvent(1);
      await opened.bus.publish(before);
      await eventually(() => first.has(before.id), 'the first event');
      await sub.close();
      await opened.bus.close();

      const publisher = await opened.reconnect();
      const whileAway = [anEvent(2), anEvent(3), anEvent(4)];
      for (const e of whileAway) await publisher.publish(e);

      const restarted = await opened.reconnect();
      const second = new Recorder();
      await restarted.subscribe('returning', second.handler);
      await settle(restarted, second);
      assert.deepEqual(
        second.deliveries.map((e) => e.id),
        whileAway.map((e) => e.id),
      );
    });

    test('request/reply returns values and carries error codes back', async (t) => {
      const { bus, tag } = await openBus(t, engine);
      const subject = `agent.${tag}.exec`;
      await bus.handle(subject, async (payload) => {
        const p = payload as { op: string; n?: number };
        if (p.op === 'double') return { n: (p.n ?? 0) * 2, unicode: 'ünï ✓' };
        if (p.op === 'nothing') return undefined;
        if (p.op === 'full') throw new FleetyardError('FY_NO_CAPACITY', 'host is full', { free: 0 });
        throw new Error('disk on fire');
      });
      assert.deepEqual(await bus.request(subject, { op: 'double', n: 21 }, 5_000), { n: 42, unicode: 'ünï ✓' });
      assert.equal(await bus.request(subject, { op: 'nothing' }, 5_000), null);
      await assert.rejects(bus.request(subject, { op: 'full' }, 5_000), (e: unknown) => {
        assert.ok(hasCode('FY_NO_CAPACITY')(e), String(e));
        assert.equal((e as FleetyardError).message, 'host is full');
        assert.deepEqual((e as FleetyardError).details, { free: 0 });
        return true;
      });
      // An error without a code arrives as a driver failure, its message kept.
      await assert.rejects(bus.request(subject, { op: 'explode' }, 5_000), (e: unknown) => {
        assert.ok(hasCode('FY_DRIVER_FAILED')(e), String(e));
        assert.equal((e as FleetyardError).message, 'disk on fire');
        return true;
      });
    });

    test('a reply too big for one message comes back as FY_BUS_MESSAGE_TOO_LARGE, and the server keeps serving', async (t) => {
      const { bus, tag } = await openBus(t, engine);
      const subject = `agent.${tag}.big`;
      await bus.handle(subject, async (payload) => ({ text: 'x'.repeat((payload as { n: number }).n) }));
      // Over NATS's default max_payload (1 MiB): sending it once threw outside any catch.
      await assert.rejects(bus.request(subject, { n: 1_100_000 }, 5_000), hasCode('FY_BUS_MESSAGE_TOO_LARGE'));
      assert.deepEqual(await bus.request(subject, { n: 3 }, 5_000), { text: 'xxx' }, 'the handler still answers');
      // A command too big to send is refused before it is sent.
      await assert.rejects(bus.request(subject, { n: 3, pad: 'y'.repeat(1_100_000) }, 5_000), hasCode('FY_BUS_MESSAGE_TOO_LARGE'));
      await assert.rejects(bus.notify(`heartbeat.${tag}.big`, { pad: 'y'.repeat(1_100_000) }), hasCode('FY_BUS_MESSAGE_TOO_LARGE'));
    });

    test('a request nobody answers is FY_AGENT_UNREACHABLE', async (t) => {
      const { bus, tag } = await openBus(t, engine);
      await assert.rejects(bus.request(`agent.${tag}.nobody`, {}, 200), hasCode('FY_AGENT_UNREACHABLE'));
      // A handler that never replies in time is the same to the requester.
      let release = (): void => undefined;
      const stuck = new Promise<void>((resolve) => (release = resolve));
      t.after(() => release());
      await bus.handle(`agent.${tag}.stuck`, () => stuck);
      await assert.rejects(bus.request(`agent.${tag}.stuck`, {}, 200), hasCode('FY_AGENT_UNREACHABLE'));
    });

    test('notify reaches the listeners of its subject only', async (t) => {
      const { bus, tag } = await openBus(t, engine);
      const heard: unknown[] = [];
      const elsewhere: unknown[] = [];
      await bus.listen(`heartbeat.${tag}.a`, async (p) => void heard.push(p));
      await bus.listen(`heartbeat.${tag}.b`, async (p) => void elsewhere.push(p));
      await bus.notify(`heartbeat.${tag}.a`, { host: 'h1', at: 1 });
      await bus.notify(`heartbeat.${tag}.a`, { host: 'h1', at: 2 });
      await eventually(() => heard.length === 2, 'two heartbeats');
      assert.deepEqual(heard, [
        { host: 'h1', at: 1 },
        { host: 'h1', at: 2 },
      ]);
      assert.deepEqual(elsewhere, []);
    });

    test('outbox: events committed before a crash are delivered once after restart', async (t) => {
      const { bus } = await openBus(t, engine);
      const store = await openStore(t, engine);
      const r = new Recorder();
      await bus.subscribe('outbox', r.handler);
      // Committed, then the process "crashed" before any relay ran.
      const committed = await commitEvents(store, 5);
      assert.equal((await store.read.events.unpublished(100)).length, 5);

      await flushOutbox(store, bus);
      await settle(bus, r);
      assert.deepEqual(
        r.deliveries.map((e) => e.id),
        committed,
      );
      assert.deepEqual(await store.read.events.unpublished(100), []);
    });

    test('outbox: events published but not marked before a crash are republished and de-duplicated', async (t) => {
      const opened = await openBus(t, engine);
      const store = await openStore(t, engine);
      const r = new Recorder();
      await opened.bus.subscribe('outbox', r.handler);
      const committed = await commitEvents(store, 4);
      // The relay got as far as publishing, then died before marking.
      for (const e of await store.read.events.unpublished(100)) await opened.bus.publish(e);
      assert.equal((await store.read.events.unpublished(100)).length, 4);

      // After the restart a new relay (on a new connection where the bus has one) runs.
      const relayBus = opened.durable ? await opened.reconnect() : opened.bus;
      await flushOutbox(store, relayBus);
      await settle(opened.bus, r);
      assert.deepEqual(
        r.deliveries.map((e) => e.id),
        committed,
      );
      assert.deepEqual(await store.read.events.unpublished(100), []);
    });
  });
}

/** Commits `n` events, one transaction each, and returns their ids in commit order. */
async function commitEvents(store: Store, n: number): Promise<string[]> {
  for (let i = 0; i < n; i++) await store.transaction((tx) => tx.emit(aNewEvent(`object-${i}`)));
  return (await store.read.events.list()).map((e) => e.id);
}

/** Runs a fresh relay, as a restarted process would, until the outbox is empty. */
async function flushOutbox(store: Store, bus: Bus): Promise<void> {
  const relay = new OutboxRelay(store, bus, new FakeClock());
  try {
    relay.start();
    await relay.flush();
  } finally {
    await relay.stop();
  }
}
