import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Observation, RuntimeSpec } from '../../src/drivers/driver.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';

/**
 * A start that takes longer than the control plane waits is not started twice. The agent client
 * gave up after one fixed timeout and the reconciler sent the command again while the first still
 * ran. Here the (simulated, at the driver boundary) start takes 2.5 s and the control plane waits
 * 0.5 s: it times out, retries while the first start still runs, and the repeat joins it. The
 * driver is asked to start the appliance once, and the appliance runs.
 */
class SlowStarts extends SimDriver {
  starts = 0;
  override async ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    if (desired === 'running' && (await this.inspect(spec.applianceId)).state !== 'running') {
      this.starts++;
      await new Promise((r) => setTimeout(r, 2_500));
    }
    return super.ensure(spec, desired);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'fy-deadline-'));
let cp: ControlPlane | undefined;

after(async () => {
  await cp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a command retried after its deadline joins the run still going instead of starting twice', async () => {
  const driver = new SlowStarts({});
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', drivers: [driver], networkBridge: 'fytdl0', networkCidr: '169.254.231.0/24', ensureDeadlines: { sim: 500 } });
  const api = new TestApi(cp.url, cp.adminToken);
  const image = await api.uploadImage('base', baseImageTar());
  const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'slow', imageId: image.id, requirements: { virtualization: 'sim' } });
  let sawTimeout = false;
  await api.waitAppliances([a.id], (x) => {
    if (x?.status.retry?.lastError.match(/timed out|did not answer/)) sawTimeout = true;
    return x?.status.phase === 'running';
  }, 'running', 30_000);
  assert.ok(sawTimeout, 'the control plane gave up waiting for the first start at least once');
  assert.equal(driver.starts, 1, 'the driver was asked to start it once');
  await api.ok('DELETE', `/api/v1/appliances/${a.id}`);
  await api.waitAppliances([a.id], (x) => x === undefined, 'deleted');
});
