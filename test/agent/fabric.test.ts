import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withUnderlay } from '../../src/agent/fabric.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import type { RuntimeNetwork } from '../../src/drivers/driver.ts';
import { BridgeCache } from '../../src/network/bridge-cache.ts';

/** A network that spans hosts on a host with or without an underlay address (no host changes). */

const spanning: RuntimeNetwork = {
  name: 'tenant-u0123456789ab',
  bridge: 'fyn001000',
  address: '169.254.130.2',
  prefixLength: 26,
  gateway: '169.254.130.1',
  mtu: 1450,
  vxlan: { vni: 4096, local: '169.254.9.9', peers: ['169.254.9.3'], spansHosts: true },
};

test('the uplink\'s source is the agent\'s own underlay address, whatever the command says', () => {
  assert.equal(withUnderlay(spanning, '169.254.9.2').vxlan?.local, '169.254.9.2');
  assert.equal(withUnderlay(spanning, undefined).vxlan?.local, null, 'none: the network is refused');
  const local = { ...spanning, vxlan: { vni: 4096, local: null, peers: [], spansHosts: false } };
  assert.equal(withUnderlay(local, undefined).vxlan, null, 'the only host carries it on its bridge alone');
  const plain = { ...spanning, vxlan: null };
  assert.equal(withUnderlay(plain, '169.254.9.2'), plain);
});

test('a host without an underlay address refuses a network that spans hosts, saying how to fix it', async () => {
  await assert.rejects(
    new BridgeCache().ensure(withUnderlay(spanning, undefined)),
    (e: unknown) => e instanceof FleetyardError && e.code === 'FY_VALIDATION' && /no underlay address: start its agent with --underlay-address/.test(e.message),
  );
});
