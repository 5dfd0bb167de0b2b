import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, TerminalError, type Reconciler } from '../../src/reconcile/controller.ts';
import { WorkQueue } from '../../src/reconcile/work-queue.ts';

test('the work queue holds a key once and never hands it out twice at the same time', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(await q.take(), 'a');
  q.add('a'); // while 'a' is being processed: remembered, not queued
  assert.equal(await q.take(), 'b');
  q.done('b');
  assert.equal(q.isIdle(), false);
  q.done('a'); // now 'a' comes back once
  assert.equal(await q.take(), 'a');
  q.done('a');
  assert.equal(q.isIdle(), true);
  q.close();
});

test('a failing reconcile is retried with backoff until it succeeds; a terminal error is not', async () => {
  const calls = new Map<string, number>();
  const reconciler: Reconciler = {
    kind: 'test',
    async reconcile(id) {
      const n = (calls.get(id) ?? 0) + 1;
      calls.set(id, n);
      if (id === 'flaky' && n < 3) throw new Error('not yet');
      if (id === 'broken') throw new TerminalError('cannot');
    },
  };
  const errors: string[] = [];
  const c = new Controller(reconciler, { concurrency: 2, baseDelayMs: 1, maxDelayMs: 5, onError: (_k, id) => errors.push(id) });
  c.start();
  c.enqueue('flaky');
  c.enqueue('broken');
  const end = Date.now() + 5_000;
  while ((calls.get('flaky') ?? 0) < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 30));
  await c.stop();
  assert.equal(calls.get('flaky'), 3, 'retried until it worked, then left alone');
  assert.equal(calls.get('broken'), 1, 'a terminal error is not retried');
  assert.deepEqual(errors.sort(), ['broken', 'flaky', 'flaky']);
});
