import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Image } from '../../src/domain/image.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/reconcile/appliance-retry.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { testKernel } from '../support/test-kernel.ts';

/**
 * A persistently failing appliance is retried with exponential backoff, on the real container
 * driver, with a command the image does not have. Its own status events used to re-queue it and
 * cancel the backoff timer: 313 attempts in 30 s. Time runs on a fake clock here, so a minute of
 * backoff takes seconds; every attempt is a real `runc run` that fails. The agent heartbeats every
 * 50 ms of real time, so its lease keeps up with the fake clock's jumps.
 */
const clock = new FakeClock(new Date('2026-06-01T00:00:00Z'));
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
let image: Image;
const ids: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-backoff-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr, clock, heartbeatMs: 50 });
  api = new TestApi(cp.url, cp.adminToken);
  image = await api.uploadImage('base', baseImageTar());
});

after(async () => {
  await Promise.all(ids.map((id) => api.call('DELETE', `/api/v1/appliances/${id}`).catch(() => undefined)));
  for (let i = 0; i < 100 && (await Promise.all(ids.map((id) => api.call('GET', `/api/v1/appliances/${id}`)))).some((r) => r.status !== 404); i++) {
    clock.advance(10 * 60_000);
    await settle();
  }
  await cp.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Lets every event reach the reconciler and every run it causes finish. Bounded, so an appliance
 * that never stops being retried makes the test fail on its count instead of hanging it.
 */
async function settle(): Promise<void> {
  for (let quiet = 0, rounds = 0; quiet < 3 && rounds < 50; rounds++) {
    await cp.relay.flush();
    await Promise.race([cp.appliances.whenIdle(), new Promise((r) => setTimeout(r, 1_000))]);
    await new Promise((r) => setTimeout(r, 20));
    const busy = cp.appliances.backingOffCount() > 0 || (await cp.store.read.events.unpublished(1)).length > 0;
    quiet = busy ? 0 : quiet + 1;
  }
}

async function failures(id: string): Promise<FleetyardEvent[]> {
  return (await cp.store.read.events.list({ objectId: id, type: 'appliance.failed', limit: 1000 }));
}

const get = (id: string) => api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);

/** How many attempts the policy allows within `ms` of the first: at 0, base, base+2·base, … */
function attemptsWithin(ms: number): number {
  let at = 0;
  let n = 0;
  for (let delay = DEFAULT_RETRY_POLICY.baseMs; at <= ms; delay = Math.min(delay * 2, DEFAULT_RETRY_POLICY.maxMs)) {
    n++;
    at += delay;
  }
  return n;
}

describe('an appliance whose command does not exist', () => {
  test('is retried over a minute no more often than its backoff allows, visibly in its status', async () => {
    const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'broken', imageId: image.id, command: ['/no/such/command'] });
    ids.push(a.id);
    await settle();
    const start = clock.now().getTime();
    for (let s = 0; s < 60; s++) {
      clock.advance(1_000);
      await settle();
    }
    const events = await failures(a.id);
    const allowed = attemptsWithin(clock.now().getTime() - start);
    assert.ok(events.length >= allowed - 1, `retried: ${events.length} attempts`);
    assert.ok(events.length <= allowed, `${events.length} attempts in a minute; the backoff allows ${allowed}`);
    const shown = await get(a.id);
    assert.equal(shown.status.phase, 'failed');
    assert.equal(shown.status.retry?.attempts, events.length);
    assert.match(shown.status.retry?.lastError ?? '', /no such command|no such file|not found|executable/i);
    assert.ok(new Date(shown.status.retry?.nextAttemptAt ?? 0).getTime() > clock.now().getTime(), 'the next attempt is in the future');
  });

  test('its own failure events never bring the next attempt forward, but a stop and a start do', async () => {
    const id = ids[0] as string;
    const before = (await failures(id)).length;
    // A burst of wake-ups, as its own events would cause: nothing runs before its time.
    for (let i = 0; i < 20; i++) cp.appliances.enqueue(id);
    await settle();
    assert.equal((await failures(id)).length, before);

    await api.ok('POST', `/api/v1/appliances/${id}/stop`);
    await settle();
    const stopped = await get(id);
    assert.equal(stopped.status.phase, 'stopped', 'a stop is carried out at once, backoff or not');
    assert.equal(stopped.status.retry ?? null, null, 'and ends the record of failures');
    await api.ok('POST', `/api/v1/appliances/${id}/start`);
    await settle();
    const restarted = await get(id);
    assert.equal(restarted.status.retry?.attempts, 1, 'a new spec starts counting afresh, at once');
    assert.equal((await failures(id)).length, before + 1);
  });
});

describe('a VM with no kernel to boot', () => {
  test('waits without retrying, and boots as soon as a kernel is registered', async () => {
    const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'vm', imageId: image.id, requirements: { virtualization: 'qemu', memoryMiB: 256 } });
    ids.push(a.id);
    await settle();
    for (let s = 0; s < 10; s++) {
      clock.advance(60_000);
      await settle();
    }
    const waiting = await get(a.id);
    assert.equal(waiting.status.phase, 'failed', JSON.stringify(waiting.status));
    assert.equal(waiting.status.retry?.waitingFor, 'kernel');
    assert.equal(waiting.status.retry?.nextAttemptAt, null);
    assert.equal((await failures(a.id)).length, 1, 'a failure that waits for a kernel is not retried on a timer');

    const k = testKernel();
    await api.uploadKernel('default', k);
    await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'the VM running once a kernel exists', 120_000);
  });
});
