import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/**
 * Prometheus 2.42 sends http_sd_configs' `authorization` credentials without the `Bearer ` its
 * documentation gives as the default type, so the configuration names the type (docs/monitoring.md).
 *
 * Fleetyard in the Prometheus people already run: a real container appliance on the real driver,
 * its cgroup and veth counters in /metrics moving as it works and gone once it is deleted; the
 * HTTP service discovery listing it with its labels; and, when Debian's prometheus is installed,
 * a real Prometheus that discovers it through that endpoint and scrapes the control plane.
 *
 * The fleet metrics' timer is set far off: each check runs a round itself (`refresh`), so nothing
 * waits for a clock.
 */
const METRICS_TOKEN = 'metrics-token-for-the-prometheus-test';
const PROMETHEUS = '/usr/bin/prometheus';
const SD = '/api/v1/monitoring/prometheus-sd';

let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let dataDir: string;
let appliance: Appliance;
let prometheus: ChildProcess | undefined;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-prom-'));
  net = await makeTestNetwork();
  cp = await startControlPlane({
    dataDir,
    listen: '127.0.0.1:0',
    networkBridge: net.bridge,
    networkCidr: net.cidr,
    metricsToken: METRICS_TOKEN,
    fleetMetricsMs: 3_600_000,
  });
  api = new TestApi(cp.url, cp.adminToken);
  const image = await api.uploadImage('base', baseImageTar());
  appliance = await api.ok<Appliance>('POST', '/api/v1/appliances', {
    name: 'web-1',
    imageId: image.id,
    labels: { 'fleetyard.io/metrics-port': '80', team: 'web' },
  });
  await api.waitAppliances([appliance.id], (a) => a?.status.phase === 'running', 'the appliance running');
  appliance = await api.ok<Appliance>('GET', `/api/v1/appliances/${appliance.id}`);
});

after(async () => {
  if (prometheus?.pid !== undefined && prometheus.exitCode === null) {
    process.kill(prometheus.pid, 'SIGKILL');
    await new Promise((r) => prometheus?.once('exit', r));
  }
  await api.deleteAppliancesQuietly([appliance.id]);
  await cp.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function scrape(token: string | null = METRICS_TOKEN): Promise<Response> {
  return fetch(`${cp.url}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

/** Value of the one series `name` whose labels include `labels`, or undefined when there is none. */
async function sample(name: string, labels: Record<string, string>): Promise<number | undefined> {
  await cp.fleetMetrics.refresh();
  const text = await (await scrape()).text();
  for (const line of text.split('\n')) {
    const m = /^([a-z_0-9]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] as string).matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const mine = () => ({ appliance: appliance.id });

describe('Prometheus monitoring of a container appliance', () => {
  it('refuses /metrics without credentials or with a wrong token, and answers the metrics token and an admin', async () => {
    assert.equal((await scrape(null)).status, 401);
    assert.equal((await scrape('not-the-token')).status, 401);
    assert.equal((await scrape()).status, 200);
    assert.equal((await scrape(cp.adminToken as string)).status, 200);
  });

  it("shows the appliance's cgroup and network figures with its labels, and the host's", async () => {
    const labels = { appliance: appliance.id, name: 'web-1', virtualization: 'container', owner: 'admin' };
    assert.equal(await sample('fleetyard_appliance_up', labels), 1);
    const memory = await sample('fleetyard_appliance_memory_usage_bytes', labels);
    assert.ok(memory !== undefined && memory > 0, `memory usage ${memory}`);
    assert.equal(await sample('fleetyard_appliance_memory_limit_bytes', labels), appliance.spec.requirements.memoryMiB * 1024 * 1024);
    assert.ok((await sample('fleetyard_appliance_cpu_seconds_total', labels)) !== undefined);
    const host = appliance.status.hostId as string;
    assert.equal(await sample('fleetyard_host_up', { resource: host }), 1);
    const available = await sample('fleetyard_host_memory_available_bytes', { resource: host });
    assert.ok(available !== undefined && available > 0);
    assert.ok((await sample('fleetyard_host_load1', { resource: host })) !== undefined);
    const age = await sample('fleetyard_host_heartbeat_age_seconds', { resource: host });
    assert.ok(age !== undefined && age >= 0);
  });

  it('counts CPU time and traffic as the appliance serves requests', async () => {
    const before = {
      cpu: (await sample('fleetyard_appliance_cpu_seconds_total', mine())) as number,
      rx: (await sample('fleetyard_appliance_network_receive_bytes_total', mine())) as number,
      tx: (await sample('fleetyard_appliance_network_transmit_bytes_total', mine())) as number,
    };
    for (let i = 0; i < 20; i++) {
      const body = await fetch(`http://${appliance.status.address}/`).then((r) => r.text());
      assert.match(body, new RegExp(appliance.spec.hostname));
    }
    assert.ok(((await sample('fleetyard_appliance_network_receive_bytes_total', mine())) as number) > before.rx, 'the requests it received');
    assert.ok(((await sample('fleetyard_appliance_network_transmit_bytes_total', mine())) as number) > before.tx, 'the answers it sent');
    assert.ok(((await sample('fleetyard_appliance_cpu_seconds_total', mine())) as number) > before.cpu, 'the CPU it spent');
  });

  it('lists the appliance for Prometheus HTTP service discovery, with its labels', async () => {
    assert.equal((await fetch(cp.url + SD)).status, 401);
    for (const token of [METRICS_TOKEN, cp.adminToken as string]) {
      const res = await fetch(cp.url + SD, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const host = (await api.ok<{ name: string }>('GET', `/api/v1/resources/${appliance.status.hostId}`)).name;
      assert.deepEqual(await res.json(), [
        {
          targets: [`${appliance.status.address}:80`],
          labels: {
            __meta_fleetyard_appliance_id: appliance.id,
            __meta_fleetyard_appliance_name: 'web-1',
            __meta_fleetyard_host: host,
            __meta_fleetyard_owner: 'admin',
            __meta_fleetyard_virtualization: 'container',
            __meta_fleetyard_phase: 'running',
            __meta_fleetyard_network: appliance.spec.network,
            __meta_fleetyard_label_fleetyard_io_metrics_port: '80',
            __meta_fleetyard_label_team: 'web',
          },
        },
      ]);
    }
  });

  it('is discovered by a real Prometheus through the endpoint, which scrapes the control plane', { skip: !existsSync(PROMETHEUS) && 'Debian prometheus is not installed (scripts/install-deps.sh)' }, async () => {
    const dir = join(dataDir, 'prometheus');
    const port = await freePort();
    const url = new URL(cp.url);
    const tokenFile = join(dataDir, 'metrics.token');
    writeFileSync(tokenFile, METRICS_TOKEN, { mode: 0o600 });
    writeFileSync(
      join(dataDir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        '  - job_name: appliances',
        '    http_sd_configs:',
        `      - url: ${cp.url}${SD}`,
        '        refresh_interval: 1s',
        `        authorization: { type: Bearer, credentials_file: ${tokenFile} }`,
        '    relabel_configs:',
        '      - { source_labels: [__meta_fleetyard_appliance_id], target_label: appliance }',
        '      - { source_labels: [__meta_fleetyard_appliance_name], target_label: name }',
        '      - { source_labels: [__meta_fleetyard_label_team], target_label: team }',
        '  - job_name: fleetyard',
        `    authorization: { type: Bearer, credentials_file: ${tokenFile} }`,
        `    static_configs: [{ targets: ['${url.host}'] }]`,
      ].join('\n') + '\n',
    );
    prometheus = spawn(PROMETHEUS, [
      `--config.file=${join(dataDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    prometheus.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const prom = `http://127.0.0.1:${port}`;
    const targets = async () => {
      const r = await fetch(`${prom}/api/v1/targets`).catch(() => null);
      if (!r?.ok) return [];
      return ((await r.json()) as { data: { activeTargets: Array<{ scrapePool: string; labels: Record<string, string>; discoveredLabels: Record<string, string>; health: string }> } }).data.activeTargets;
    };
    try {
      await eventually(async () => (await targets()).some((t) => t.scrapePool === 'appliances'), 'Prometheus to discover the appliance', 30_000, 200);
      const found = (await targets()).filter((t) => t.scrapePool === 'appliances');
      assert.equal(found.length, 1);
      const [t] = found as [(typeof found)[number]];
      assert.equal(t.labels.instance, `${appliance.status.address}:80`);
      assert.equal(t.labels.appliance, appliance.id);
      assert.equal(t.labels.name, 'web-1');
      assert.equal(t.labels.team, 'web');
      assert.equal(t.discoveredLabels.__meta_fleetyard_virtualization, 'container');
      assert.equal(t.labels.__meta_fleetyard_appliance_id, undefined, '__meta labels are dropped after relabelling');
      // The control plane's own /metrics, scraped with the token, carries the appliance's series.
      await cp.fleetMetrics.refresh();
      const query = async () => {
        const r = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(`fleetyard_appliance_up{appliance="${appliance.id}"}`)}`);
        return ((await r.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result;
      };
      await eventually(async () => (await query()).length === 1, 'Prometheus to scrape the control plane', 30_000, 200);
      assert.equal((await query())[0]?.value[1], '1');
      assert.equal((await targets()).find((x) => x.scrapePool === 'fleetyard')?.health, 'up');
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\nprometheus said:\n${log}`);
    }
  });

  it("drops the appliance's series and target once it is deleted", async () => {
    assert.equal(await sample('fleetyard_appliance_up', mine()), 1);
    await api.ok('DELETE', `/api/v1/appliances/${appliance.id}`);
    await api.waitAppliances([appliance.id], (a) => a === undefined, 'the appliance deleted');
    await cp.fleetMetrics.refresh();
    const text = await (await scrape()).text();
    assert.ok(!text.includes(appliance.id), 'no series names the deleted appliance');
    assert.match(text, /^fleetyard_host_up\{/m, 'the host is still there');
    const sd = await fetch(cp.url + SD, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.deepEqual(await sd.json(), []);
  });
});

/** A port nothing listens on now (taken by the kernel for a moment, then let go). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
