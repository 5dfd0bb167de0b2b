import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ipmi } from '../../src/drivers/physical/ipmi.ts';
import { startHostBmc, type HostBmc } from '../support/ha/host-bmc.ts';

/**
 * Fleetyard's ipmitool path against OpenIPMI's ipmi_sim, with a chassis whose power changes take
 * longer than ipmitool waits for an answer (three seconds: `-N 1 -R 2`). ipmitool then says
 * "Unable to set Chassis Power Control" although the change happens; the driver must believe the
 * power state it reads back, not that message, and must still fail a change that never happens.
 */
let dir: string;
let slow: HostBmc;
let dead: HostBmc;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fy-ipmi-'));
  slow = await startHostBmc({ name: 'slow', dir: join(dir, 'slow'), powerOffHook: 'sleep 4', powerOnHook: 'sleep 4' });
  dead = await startHostBmc({ name: 'dead', dir: join(dir, 'dead') });
});

after(async () => {
  await slow?.stop();
  await dead?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ipmitool power control', () => {
  it('a power off and on that outlast ipmitool’s wait succeed once the BMC reports them', async () => {
    const ipmi = new Ipmi(slow.bmc);
    await ipmi.powerOff();
    assert.equal(await ipmi.powerStatus(), 'off');
    await ipmi.powerOn();
    assert.equal(await ipmi.powerStatus(), 'on');
    // ipmitool sent each change again while it waited, and the BMC acted on each (power control
    // is idempotent): the actions are offs, then ons.
    const actions = (await slow.actions()).filter((a, i, all) => a !== all[i - 1]);
    assert.deepEqual(actions, ['0', '1']);
  });

  it('a power change to a BMC that does not answer fails with ipmitool’s message', async () => {
    await dead.kill();
    await assert.rejects(new Ipmi(dead.bmc, { confirmMs: 2000 }).powerOff(), /ipmitool 127\.0\.0\.1:\d+ chassis power off failed/);
  });
});
