import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseWatchdog, SELF_FENCE_FRACTION } from '../../src/agent/lease-watchdog.ts';

function watchdog() {
  const calls: string[] = [];
  const w = new LeaseWatchdog({
    now: () => performance.now(),
    selfFence: async () => void calls.push('self-fence'),
    resumed: () => void calls.push('resumed'),
    log: () => undefined,
  });
  return { w, calls };
}

test('without renewals the agent self-fences once, before its lease runs out, and starts nothing', async () => {
  const { w, calls } = watchdog();
  w.renewed(performance.now(), 200);
  assert.equal(w.holdsLease, true);
  await sleep(200 * SELF_FENCE_FRACTION + 60);
  assert.deepEqual(calls, ['self-fence']);
  assert.equal(w.holdsLease, false);
  await sleep(150);
  assert.deepEqual(calls, ['self-fence'], 'once per lapse');
  w.renewed(performance.now(), 200);
  assert.equal(w.holdsLease, true);
  assert.deepEqual(calls, ['self-fence', 'resumed']);
  w.stop();
});

test('renewals in time keep the lease; an answer to an old heartbeat does not extend it', async () => {
  const { w, calls } = watchdog();
  const sentLongAgo = performance.now() - 1_000;
  w.renewed(performance.now(), 200);
  for (let i = 0; i < 5; i++) {
    await sleep(50);
    w.renewed(performance.now(), 200);
  }
  assert.deepEqual(calls, []);
  w.renewed(sentLongAgo, 200); // a late answer counts from when its heartbeat was sent
  await sleep(200 * SELF_FENCE_FRACTION + 60);
  assert.deepEqual(calls, ['self-fence']);
  w.stop();
});
