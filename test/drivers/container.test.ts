import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile, readlink, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerDriver } from '../../src/drivers/container/container-driver.ts';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import { isFleetyardError } from '../../src/domain/errors.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { exec } from '../../src/host/exec.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { runDriverConformance } from './conformance.ts';
import { consoleText } from '../support/console.ts';

/**
 * The container driver against the real host: runc, overlayfs, network namespaces, cgroup v1.
 * Everything lives in a fresh state dir and a fresh bridge on an unused 169.254.x.0/24; both go
 * in `after`, together with every appliance the tests made, whether they passed or not.
 */

const stateDir = mkdtempSync(join(tmpdir(), 'fy-container-'));
const storage = new LocalStorage(stateDir);
const IMAGE_ID = 'base';
let net: TestNetwork;
let nextHost = 1;
const drivers: ContainerDriver[] = [];

const ready = (async () => {
  net = await makeTestNetwork();
  const tarball = join(stateDir, 'base.tar');
  await exec('bash', [join(import.meta.dirname, '../../scripts/build-base-image.sh'), tarball]);
  await storage.importImage(IMAGE_ID, tarball);
})();

function makeDriver(): ContainerDriver {
  const d = new ContainerDriver({ stateDir });
  drivers.push(d);
  return d;
}

async function makeSpec(applianceId: string): Promise<RuntimeSpec> {
  await ready;
  const { clonePath } = await storage.ensureClone(applianceId);
  const n = nextHost++;
  return {
    applianceId,
    name: applianceId,
    hostname: `host-${n}`,
    command: ['/bin/sh', '/etc/fleetyard/init'],
    requirements: { ...DEFAULT_REQUIREMENTS, memoryMiB: 48, pids: 64 },
    root: { format: 'rootfs-dir', imagePath: storage.imagePath(IMAGE_ID), clonePath },
    network: {
      name: 'test',
      bridge: net.bridge,
      address: net.address(n),
      prefixLength: net.prefixLength,
      gateway: net.gateway,
    },
    env: { FLEETYARD_TEST: '1' },
  };
}

const allIds: string[] = [];

after(async () => {
  const d = new ContainerDriver({ stateDir });
  for (const id of await d.list()) await d.destroy(id).catch(() => undefined);
  for (const id of await storage.listClones()) await storage.removeClone(id);
  await net?.cleanup();
  await rm(stateDir, { recursive: true, force: true });
});

runDriverConformance('container', async () => (await ready, makeDriver()), makeSpec, {
  persistence: {
    async write(obs, _spec, content) {
      await writeFile(`/proc/${obs.pid}/root/root/marker`, content);
    },
    async read(obs, spec) {
      // The write went to the clone's upper layer, never to the shared image.
      const inClone = await readFile(join(spec.root.clonePath, 'upper/root/marker'), 'utf8');
      await assert.rejects(readFile(join(spec.root.imagePath, 'root/marker')));
      const inAppliance = await readFile(`/proc/${obs.pid}/root/root/marker`, 'utf8');
      assert.equal(inAppliance, inClone);
      return inAppliance;
    },
  },
  cleanup: async (ids) => {
    for (const id of ids) await storage.removeClone(id);
    allIds.push(...ids);
  },
});

describe('container driver on the host', () => {
  let driver: ContainerDriver;
  const ids: string[] = [];
  const newSpec = async () => {
    const id = `ct-${randomBytes(5).toString('hex')}`;
    ids.push(id);
    return makeSpec(id);
  };

  before(async () => {
    await ready;
    driver = makeDriver();
  });

  after(async () => {
    for (const id of ids) {
      await driver.destroy(id).catch(() => undefined);
      await storage.removeClone(id);
    }
    allIds.push(...ids);
  });

  it('gives the appliance its own pid and network namespace, limits and console', async () => {
    const spec = await newSpec();
    const obs = await driver.ensure(spec, 'running');
    assert.ok(obs.pid);
    for (const ns of ['pid', 'net', 'uts', 'mnt']) {
      assert.notEqual(await readlink(`/proc/${obs.pid}/ns/${ns}`), await readlink(`/proc/self/ns/${ns}`), ns);
    }
    const id = spec.applianceId;
    const limit = await readFile(`/sys/fs/cgroup/memory/fleetyard/${id}/memory.limit_in_bytes`, 'utf8');
    assert.equal(Number(limit), spec.requirements.memoryMiB * 1024 * 1024);
    assert.equal((await readFile(`/sys/fs/cgroup/pids/fleetyard/${id}/pids.max`, 'utf8')).trim(), String(spec.requirements.pids));
    assert.equal((await readFile(`/sys/fs/cgroup/cpu/fleetyard/${id}/cpu.shares`, 'utf8')).trim(), String(1024 * spec.requirements.cpu));
    const m = await driver.metrics(id);
    assert.ok(m !== null && m.memoryBytes !== null && m.memoryBytes > 0);
    assert.equal(m.memoryLimitBytes, spec.requirements.memoryMiB * 1024 * 1024);
    assert.ok(m.cpuSeconds !== null && m.cpuSeconds >= 0);
    assert.ok(m.networkReceiveBytes !== null && m.networkTransmitBytes !== null);
    const up = `fleetyard-appliance ${spec.hostname} up`;
    await eventually(async () => assert.ok((await consoleText(driver, id, 4096)).includes(up)));
  });

  it('is reachable from the host over its bridge address', async () => {
    const spec = await newSpec();
    await driver.ensure(spec, 'running');
    const body = await eventually(() => httpGet(spec.network.address as string, spec.network.gateway as string));
    assert.match(body, new RegExp(spec.hostname));
  });

  it('fails a start it cannot carry out with the reason, leaving nothing behind', async () => {
    const spec = { ...(await newSpec()), command: ['/no/such/program'] };
    await assert.rejects(driver.ensure(spec, 'running'), (e) => {
      assert.ok(isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED');
      assert.match(e.message, /no such file/i);
      return true;
    });
    assert.equal((await driver.inspect(spec.applianceId)).state, 'absent');
    await storage.removeClone(spec.applianceId);
    assert.deepEqual(await findLeaks([spec.applianceId], stateDir), []);
  });

  it('releases an appliance whose runc state was lost, killing what runc no longer knows', async () => {
    const spec = await newSpec();
    const obs = await driver.ensure(spec, 'running');
    assert.ok(obs.pid);
    await rm(join(stateDir, 'runc', spec.applianceId), { recursive: true, force: true });
    await driver.destroy(spec.applianceId);
    await storage.removeClone(spec.applianceId);
    assert.deepEqual(await findLeaks([spec.applianceId], stateDir), []);
  });

  it('starts 20 appliances in parallel and leaves nothing behind after destroying them', async (t) => {
    const specs = await Promise.all(Array.from({ length: 20 }, () => newSpec()));
    const t0 = performance.now();
    const obs = await Promise.all(specs.map((s) => driver.ensure(s, 'running')));
    const parallelMs = performance.now() - t0;
    assert.ok(obs.every((o) => o.state === 'running'));
    assert.equal(new Set(obs.map((o) => o.pid)).size, 20);
    const t1 = performance.now();
    await Promise.all(specs.map((s) => driver.destroy(s.applianceId)));
    const destroyMs = performance.now() - t1;
    t.diagnostic(`20 parallel starts: ${parallelMs.toFixed(0)} ms (${(parallelMs / 20).toFixed(1)} ms each); destroy: ${destroyMs.toFixed(0)} ms`);
    for (const s of specs) await storage.removeClone(s.applianceId);
    assert.deepEqual(await findLeaks(specs.map((s) => s.applianceId), stateDir), []);
  });

  it('measures sequential start latency', async (t) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const spec = await newSpec();
      const t0 = performance.now();
      await driver.ensure(spec, 'running');
      times.push(performance.now() - t0);
    }
    t.diagnostic(`sequential ensure running: ${times.map((x) => x.toFixed(0)).join(', ')} ms`);
  });
});

describe('after everything', () => {
  it('leaves no runtime of any appliance behind', async () => {
    // Runs last: the other suites' `after` hooks have destroyed their appliances and clones.
    const ids = [...allIds];
    assert.deepEqual(await findLeaks(ids, stateDir), []);
  });
});

async function eventually<T>(f: () => Promise<T>, tries = 100): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function httpGet(host: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port: 80, path: '/', localAddress, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
