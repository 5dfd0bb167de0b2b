import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { aResource } from '../support/objects.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * The fleet's series in /metrics and the Prometheus discovery on a control plane whose agent has
 * only the simulated driver, which reads no usage: its appliances are `up` with no counters, a
 * physical server's power shows as its BMC last said, and a label that is no port leaves its
 * appliance out of the discovery. (A real container's counters: test/e2e/prometheus-monitoring.test.ts.)
 */
const V1 = '/api/v1';
const TOKEN = 'fleet-metrics-test-token';
let s: SimControlPlane;
let api: TestApi;
let good: Appliance;
let badPort: Appliance;
let server: Resource;

async function metricsText(): Promise<string> {
  await s.cp.fleetMetrics.refresh();
  const res = await fetch(`${s.cp.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  return res.text();
}

/** The lines of series `name` that carry `label="value"`. */
const series = (text: string, name: string, label: string, value: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(`${label}="${value}"`));

before(async () => {
  s = await startSimControlPlane({ metricsToken: TOKEN, fleetMetricsMs: 3_600_000, powerPollMs: 3_600_000 });
  api = new TestApi(s.cp.url, s.cp.adminToken);
  const image = await api.uploadImage('base', baseImageTar());
  const hostId = ((await api.ok<{ items: Resource[] }>('GET', `${V1}/resources`)).items[0] as Resource).id;
  good = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'exporter', imageId: image.id, requirements: { virtualization: 'sim' }, labels: { 'fleetyard.io/metrics-port': '9200', 'app.kubernetes.io/name': 'db' } });
  badPort = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'no-port', imageId: image.id, requirements: { virtualization: 'sim' }, labels: { 'fleetyard.io/metrics-port': 'http' } });
  await api.waitAppliances([good.id, badPort.id], (a) => a?.status.phase === 'running', 'both running');
  good = await api.ok<Appliance>('GET', `${V1}/appliances/${good.id}`);
  // A server its host would network-boot, inserted as the physical driver's enrolment would leave it.
  const r = aResource('srv-1', {
    type: 'physical',
    hostId,
    capacity: { cpu: 4, memoryMiB: 4096, diskMiB: 0 },
    mac: '52:54:00:12:34:56',
    bmc: { address: '169.254.9.9', port: 623, user: 'admin', passwordSealed: 'sealed' },
  });
  server = await s.cp.store.transaction((tx) => tx.resources.insert({ ...r, status: { ...r.status, state: 'idle', powerState: 'unknown' } }));
});

after(async () => {
  await s?.cleanup();
});

describe('fleet metrics and Prometheus discovery', () => {
  it('shows an appliance of a driver that reads no usage as up, without counters', async () => {
    const text = await metricsText();
    const up = series(text, 'fleetyard_appliance_up', 'appliance', good.id);
    assert.equal(up.length, 1);
    assert.match(up[0] as string, /virtualization="sim".*\} 1$|\} 1$/);
    assert.deepEqual(series(text, 'fleetyard_appliance_cpu_seconds_total', 'appliance', good.id), []);
    assert.equal(series(text, 'fleetyard_host_up', 'resource', good.status.hostId as string)[0]?.endsWith(' 1'), true);
    assert.match(text, /^# TYPE fleetyard_appliance_cpu_seconds_total counter$/m);
    assert.match(text, /^# TYPE fleetyard_appliance_memory_usage_bytes gauge$/m);
  });

  it("shows a physical server's power as the power monitor keeps it, and its BMC down while unknown", async () => {
    let text = await metricsText();
    assert.ok(series(text, 'fleetyard_server_bmc_up', 'resource', server.id)[0]?.endsWith(' 0'));
    assert.deepEqual(series(text, 'fleetyard_server_power_on', 'resource', server.id), []);
    // What the power monitor writes when the BMC answers "on".
    const r = await s.cp.store.read.resources.require(server.id);
    await s.cp.store.read.resources.update({ ...r, status: { ...r.status, powerState: 'on' } }, new Date());
    text = await metricsText();
    assert.deepEqual(series(text, 'fleetyard_server_power_on', 'resource', server.id), [`fleetyard_server_power_on{resource="${server.id}",name="srv-1"} 1`]);
    assert.ok(series(text, 'fleetyard_server_bmc_up', 'resource', server.id)[0]?.endsWith(' 1'));
  });

  it('lists appliances with their port label for discovery, label keys made label names, and leaves out one whose port is no port', async () => {
    const res = await fetch(`${s.cp.url}${V1}/monitoring/prometheus-sd`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    const groups = (await res.json()) as Array<{ targets: string[]; labels: Record<string, string> }>;
    assert.deepEqual(groups.map((g) => g.labels.__meta_fleetyard_appliance_id), [good.id]);
    assert.deepEqual(groups[0]?.targets, [`${good.status.address}:9200`]);
    assert.equal(groups[0]?.labels.__meta_fleetyard_label_app_kubernetes_io_name, 'db');
    assert.equal(groups[0]?.labels.__meta_fleetyard_virtualization, 'sim');
    assert.ok(Object.keys(groups[0]?.labels ?? {}).every((k) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)));
  });

  it('refuses discovery without credentials and with a token that is not one', async () => {
    const none = await fetch(`${s.cp.url}${V1}/monitoring/prometheus-sd`);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'FY_UNAUTHENTICATED');
    const wrong = await fetch(`${s.cp.url}${V1}/monitoring/prometheus-sd`, { headers: { authorization: 'Bearer fy_not-a-token' } });
    assert.equal(wrong.status, 401);
    // Credentials first: a malformed query without them is still a 401, with them a 400.
    assert.equal((await fetch(`${s.cp.url}${V1}/monitoring/prometheus-sd?x=1`)).status, 401);
    const bad = await fetch(`${s.cp.url}${V1}/monitoring/prometheus-sd?x=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'FY_VALIDATION');
  });
});
