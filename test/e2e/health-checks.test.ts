import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CheckStatus } from '../../src/domain/health-check.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { CHECKED_APPLIANCE_SCRIPT, poke } from '../support/checked-appliance.ts';
import { eventually } from '../support/eventually.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * Health checks end to end on the real container driver with the real check_http: an HA
 * appliance serves /health with busybox httpd; its page goes (404: WARNING, soft), then its HTTP
 * service stops (connection refused: CRITICAL, soft, then hard), and the restart policy restarts
 * it in place, after which the check is OK again. The second time it is restarted "elsewhere",
 * which with one host means where it was; the third time the policy's limit keeps it as it is.
 *
 * The appliance's own CGI scripts break it (test/support/checked-appliance.ts), asked over its
 * bridge address, so the test decides when each step happens instead of racing a timer inside it.
 */


let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
const ids: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-e2e-checks-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  await api.deleteAppliancesQuietly(ids);
  await cp.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Ev {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

async function eventsOf(id: string): Promise<Ev[]> {
  const page = await api.ok<{ items: Ev[] }>('GET', `/api/v1/events?objectId=${id}&limit=1000`);
  return page.items.sort((a, b) => a.seq - b.seq);
}

/** Waits for an event of the appliance after `afterSeq` that matches, and returns it. */
async function waitEvent(id: string, afterSeq: number, what: string, match: (e: Ev) => boolean): Promise<Ev> {
  let found: Ev | undefined;
  await eventually(async () => {
    found = (await eventsOf(id)).find((e) => e.seq > afterSeq && match(e));
    return found !== undefined;
  }, what, 90_000, 100);
  return found as Ev;
}

const check = (state: string, type: string) => (e: Ev) => e.type === 'appliance.check.changed' && e.data.state === state && e.data.type === type;

test('an HA appliance whose HTTP service stops goes WARNING, CRITICAL soft then hard, and is restarted', async () => {
  const image = await api.uploadImage('base', baseImageTar());
  const a = await api.ok<Appliance>('POST', '/api/v1/appliances', {
    name: 'checked',
    imageId: image.id,
    ha: true,
    command: ['/bin/sh', '-c', CHECKED_APPLIANCE_SCRIPT],
    checks: [{ name: 'web', kind: 'http', port: 80, path: '/health', intervalSeconds: 1, retryIntervalSeconds: 1, maxCheckAttempts: 5 }],
  });
  ids.push(a.id);
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
  const ok1 = await waitEvent(a.id, 0, 'the check OK', check('OK', 'HARD'));
  const running = await api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`);
  const address = running.status.address as string;
  const hostId = running.status.hostId;
  let view = await api.ok<{ checks: unknown[]; results: CheckStatus[] }>('GET', `/api/v1/appliances/${a.id}/checks`);
  assert.equal(view.results[0]?.state, 'OK');
  assert.match(view.results[0]?.output ?? '', /^HTTP OK/);

  assert.match(await poke(address, 'break'), /broken/);
  const warn = await waitEvent(a.id, ok1.seq, 'WARNING soft', check('WARNING', 'SOFT'));
  assert.match(String(warn.data.output), /404/);
  await poke(address, 'stop');
  const critSoft = await waitEvent(a.id, warn.seq, 'CRITICAL soft', check('CRITICAL', 'SOFT'));
  const critHard = await waitEvent(a.id, critSoft.seq, 'CRITICAL hard', check('CRITICAL', 'HARD'));
  assert.equal(critHard.data.attempt, 5);
  assert.match(String(critHard.data.output), /refused/i);

  const asked = await waitEvent(a.id, critHard.seq, 'a restart asked for', (e) => e.type === 'appliance.restart-requested');
  assert.equal(asked.data.elsewhere, false, 'the first restart is in place');
  const restarted = await waitEvent(a.id, asked.seq, 'restarted', (e) => e.type === 'appliance.restarted');
  assert.equal(restarted.data.hostId, hostId, 'in place: the same host');
  // The restarted appliance is checked from the moment it runs, which may be before the control
  // plane has written that it runs (its DNS names come first): any OK after the restart was asked.
  const ok2 = await waitEvent(a.id, asked.seq, 'OK again after the restart', check('OK', 'HARD'));
  const after1 = await api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`);
  assert.equal(after1.status.lastRestart?.outcome, 'restarted');
  assert.equal(after1.status.address, address, 'the same address');
  view = await api.ok('GET', `/api/v1/appliances/${a.id}/checks`);
  assert.equal(view.results[0]?.state, 'OK');
  const types = (await eventsOf(a.id)).map((e) => e.type);
  assert.ok(types.indexOf('appliance.restarting') < types.indexOf('appliance.restarted'), 'every restart is an event');

  // Its perfdata and state are Prometheus metrics of the control plane.
  await eventually(async () => {
    const text = await fetch(`${cp.url}/metrics`, { headers: { authorization: `Bearer ${cp.adminToken}` } }).then((r) => r.text());
    return /fleetyard_check_perfdata\{appliance="checked",check="web",label="time",uom="s"\} [0-9.e-]+/.test(text) && /fleetyard_check_state\{appliance="checked",check="web",hard="1"\} 0/.test(text);
  }, 'check metrics', 60_000, 500);

  // Hard CRITICAL again within the hour: elsewhere, which with one host is where it was.
  await poke(address, 'stop');
  const crit2 = await waitEvent(a.id, ok2.seq, 'CRITICAL hard again', check('CRITICAL', 'HARD'));
  const asked2 = await waitEvent(a.id, crit2.seq, 'a second restart', (e) => e.type === 'appliance.restart-requested');
  assert.equal(asked2.data.elsewhere, true, 'the second restart goes elsewhere');
  await waitEvent(a.id, asked2.seq, 'restarted again', (e) => e.type === 'appliance.restarted');
  const after2 = await api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`);
  assert.equal(after2.status.lastRestart?.outcome, 'stayed');
  assert.match(after2.status.lastRestart?.reason ?? '', /no other host/);
  const ok3 = await waitEvent(a.id, asked2.seq, 'OK after the second restart', check('OK', 'HARD'));

  // The third time the limits are reached: not restarted, and an event says so.
  await poke(address, 'stop');
  const crit3 = await waitEvent(a.id, ok3.seq, 'CRITICAL hard a third time', check('CRITICAL', 'HARD'));
  const limited = await waitEvent(a.id, crit3.seq, 'the limit', (e) => e.type === 'appliance.restart-limited');
  assert.match(String(limited.data.reason), /limit/);
  const last = await api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`);
  assert.equal(last.status.restarts?.length, 2);

  await api.ok('DELETE', `/api/v1/appliances/${a.id}`);
  await api.waitAppliances([a.id], (x) => x === undefined, 'deleted');
  ids.length = 0;
  const leaks = await findLeaks([a.id], join(dataDir, 'run', 'container'), { storageRoot: join(dataDir, 'storage', 'local') });
  assert.deepEqual(leaks, []);
});
