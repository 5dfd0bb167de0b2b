import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OperationQueue } from '../../src/agent/operation-queue.ts';

/** The agent's per-appliance queue: a repeat joins the running command; others wait their turn. */
test('a command sent again while it runs joins it instead of running twice', async () => {
  const q = new OperationQueue();
  let runs = 0;
  let release = (): void => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const work = async () => {
    runs++;
    await gate;
    return `result ${runs}`;
  };
  const first = q.run('a', 'ensure running', null, work);
  const again = q.run('a', 'ensure running', null, work);
  release();
  assert.deepEqual(await Promise.all([first, again]), ['result 1', 'result 1']);
  assert.equal(runs, 1);
  assert.equal(q.size, 0, 'nothing left once done');
});

test('another command for the appliance waits for the running one; one past its deadline is not started', async () => {
  const q = new OperationQueue();
  const order: string[] = [];
  let release = (): void => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let now = 1_000;
  const start = q.run('a', 'ensure running', null, async () => {
    order.push('start begins');
    await gate;
    order.push('start ends');
  }, () => now);
  const stop = q.run('a', 'ensure stopped', 5_000, async () => void order.push('stop'), () => now);
  const late = q.run('b', 'ensure running', null, async () => void order.push('other appliance'), () => now);
  await late;
  assert.deepEqual(order, ['start begins', 'other appliance'], 'another appliance does not wait');
  release();
  await Promise.all([start, stop]);
  assert.deepEqual(order, ['start begins', 'other appliance', 'start ends', 'stop']);

  let hold = (): void => undefined;
  const held = new Promise<void>((r) => (hold = r));
  const long = q.run('a', 'ensure running', null, () => held, () => now);
  const stale = q.run('a', 'destroy', 2_000, async () => void order.push('destroy'), () => now);
  now = 3_000;
  hold();
  await long;
  await assert.rejects(stale, /waited past its deadline/);
  assert.ok(!order.includes('destroy'));
});
