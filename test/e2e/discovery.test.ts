import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { IdentityKey } from '../../src/agent/identity-key.ts';
import { subjects, type DiscoveredNotice } from '../../src/agent/protocol.ts';
import { signMessage } from '../../src/agent/signed-message.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';

/**
 * A machine that network-boots unknown is reported by its host's agent over the bus and becomes
 * an idle physical resource of that host, once, whatever the number of reports; a report not
 * signed by the host's enrolled identity is dropped. (The boot service's own detection is covered
 * in test/drivers/physical.test.ts.)
 */
let cloud: CloudFixture;

before(async () => {
  cloud = await startCloud({ drivers: [new SimDriver({})] });
});

after(async () => {
  await cloud?.close();
});

it('registers an unknown machine once, as an idle physical resource of the host that saw it', async () => {
  const [host] = (await cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
  assert.ok(host);
  const notice: DiscoveredNotice = { hostId: host.id, network: 'lab', mac: '52:54:00:AB:CD:EF', ip: '169.254.201.200', hostname: null };
  // Reported as the embedded agent reports it: signed with the identity its host enrolled.
  const identity = IdentityKey.forDataDir(cloud.dataDir);
  const forged = { ...notice, mac: '52:54:00:00:00:66' };
  await cloud.cp.bus.notify(subjects.discovered, forged);
  await cloud.cp.bus.notify(subjects.discovered, signMessage(IdentityKey.ephemeral(), host.id, subjects.discovered, forged, cloud.clock.now()));
  for (let i = 0; i < 3; i++) await cloud.cp.bus.notify(subjects.discovered, signMessage(identity, host.id, subjects.discovered, notice, cloud.clock.now()));
  let found: Resource[] = [];
  await cloud.until(async () => {
    found = (await cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items.filter((r) => r.spec.mac === '52:54:00:ab:cd:ef');
    return found.length > 0;
  }, 'the discovered machine');
  await new Promise((r) => setTimeout(r, 200));
  found = (await cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items.filter((r) => r.spec.mac === '52:54:00:ab:cd:ef');
  assert.equal(found.length, 1, 'reported three times, registered once');
  const m = found[0] as Resource;
  assert.equal(m.spec.hostId, host.id);
  assert.equal(m.status.state, 'idle');
  assert.equal(m.spec.bmc, null, 'an admin adds its BMC before it is used');
  assert.equal(m.status.facts.bootAddress, '169.254.201.200');
  const all = (await cloud.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
  assert.ok(!all.some((r) => r.spec.mac === '52:54:00:00:00:66'), 'an unsigned or forged report registered a machine');
});
