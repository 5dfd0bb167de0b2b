import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { runDriverConformance } from './conformance.ts';

/** The simulated driver must keep the same contract as the real ones. */

const stateDir = mkdtempSync(join(tmpdir(), 'fy-sim-'));
after(() => rm(stateDir, { recursive: true, force: true }));

function makeSpec(applianceId: string): RuntimeSpec {
  return {
    applianceId,
    name: applianceId,
    hostname: applianceId,
    command: ['/bin/true'],
    requirements: DEFAULT_REQUIREMENTS,
    root: { format: 'rootfs-dir', imagePath: '/nonexistent/image', clonePath: '/nonexistent/clone' },
    network: { name: 'sim', bridge: 'fysim0', address: '169.254.1.2', prefixLength: 24, gateway: '169.254.1.1' },
    env: {},
  };
}

runDriverConformance('sim (in memory)', () => new SimDriver(), makeSpec);
runDriverConformance('sim (state file)', () => new SimDriver({ stateDir }), makeSpec);

describe('sim driver', () => {
  it('remembers its appliances across restarts when given a state dir', async () => {
    const dir = join(stateDir, 'restart');
    const first = new SimDriver({ stateDir: dir });
    const started = await first.ensure(makeSpec('sim-a'), 'running');
    await first.ensure(makeSpec('sim-b'), 'stopped');
    const second = new SimDriver({ stateDir: dir });
    assert.deepEqual(await second.list(), ['sim-a', 'sim-b']);
    assert.deepEqual(await second.inspect('sim-a'), started);
    assert.equal((await second.inspect('sim-b')).state, 'stopped');
    const again = await second.ensure(makeSpec('sim-c'), 'running');
    assert.notDeepEqual(again.handle, started.handle);
  });

  it('stamps startedAt from the injected clock', async () => {
    const d = new SimDriver({ now: () => new Date('2030-01-01T00:00:00Z') });
    assert.equal((await d.ensure(makeSpec('sim-x'), 'running')).startedAt, '2030-01-01T00:00:00.000Z');
  });
});
