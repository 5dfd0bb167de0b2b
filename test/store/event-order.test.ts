import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import { engines } from '../support/engines.ts';
import { aNewEvent } from '../support/objects.ts';

/** An event whose message is `marker`, to tell a test's events apart. */
const anEventWith = (marker: string) => aNewEvent('x', marker);

/**
 * No reader ever skips a committed event. The event stream (and every cursor over the log) reads
 * `seq > last`; with a plain serial on PostgreSQL, a transaction that took seq N could commit
 * after one that took N+1, and a reader that had already seen N+1 never saw N. Here two
 * transactions overlap and commit in the opposite order to the one they emitted in; a reader
 * that reads between the commits, exactly as the stream does, still sees both, in seq order.
 */
for (const engine of engines()) {
  describe(`event order on ${engine.name}`, () => {
    test('two transactions that commit out of order are both delivered to a cursor, in a gap-free order', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      const start = await store.read.events.lastSeq();
      let release = (): void => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let emittedFirst = (): void => undefined;
      const firstEmitted = new Promise<void>((r) => (emittedFirst = r));
      // The first transaction emits first and then stays open.
      const first = store.transaction(async (tx) => {
        await tx.emit(anEventWith('first'));
        emittedFirst();
        await gate;
      });
      await firstEmitted;
      // On SQLite the single writer makes the second wait for the first; on PostgreSQL it commits now.
      const second = store.transaction((tx) => tx.emit(anEventWith('second')));
      const seen: FleetyardEvent[] = [];
      let last = start;
      const read = async () => {
        const batch = await store.read.events.list({ afterSeq: last, limit: 100 });
        seen.push(...batch);
        last = batch.at(-1)?.seq ?? last;
      };
      if (engine.name === 'postgres+nats') {
        await second;
        await read(); // what a stream would have sent by now
        assert.deepEqual(seen.map((e) => e.message), ['second']);
      }
      release();
      await Promise.all([first, second]);
      await read();
      assert.deepEqual(seen.map((e) => e.message).sort(), ['first', 'second'], 'both delivered');
      const seqs = seen.map((e) => e.seq);
      assert.deepEqual(seqs, [start + 1, start + 2], 'in seq order, without a gap');
    });

    test('many overlapping transactions: a reader polling all along sees every event exactly once', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      const start = await store.read.events.lastSeq();
      const seen: number[] = [];
      let last = start;
      let done = false;
      const reader = (async () => {
        for (let rounds = 0; rounds < 100_000; rounds++) {
          const batch = await store.read.events.list({ afterSeq: last, limit: 1000 });
          for (const e of batch) seen.push(e.seq);
          last = batch.at(-1)?.seq ?? last;
          if (done && batch.length === 0) return;
          await new Promise((r) => setImmediate(r));
        }
      })();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.transaction(async (tx) => {
            await tx.emit(anEventWith(`${i}`));
            // Hold some transactions open a little, so commits interleave in every order.
            await new Promise((r) => setTimeout(r, (i * 7) % 13));
            await tx.emit(anEventWith(`${i} again`));
          }),
        ),
      );
      done = true;
      await reader;
      assert.equal(seen.length, 80, 'every event seen');
      assert.deepEqual(seen, Array.from({ length: 80 }, (_, i) => start + 1 + i), 'exactly once each, in order, no gap');
    });
  });
}
