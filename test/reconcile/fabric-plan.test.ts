import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Network } from '../../src/domain/network.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { fabricPlan, runtimeNetworkOf, vxlanFor } from '../../src/reconcile/fabric-plan.ts';
import { aNetwork, anAppliance, aResource } from '../support/objects.ts';

/** Who carries which network that spans hosts, and to whom each host floods it. */

const now = new Date('2026-01-01T00:00:06Z');
const host = (name: string, underlay: string | null, lastHeartbeatAt = '2026-01-01T00:00:05Z'): Resource => {
  const r = aResource(name, { type: 'physical', capacity: { cpu: 2, memoryMiB: 1000, diskMiB: 1000 }, virtualizations: ['container'] });
  return { ...r, status: { ...r.status, state: 'active', lastHeartbeatAt, facts: underlay ? { underlayAddress: underlay } : {} } };
};
const spanning = (name: string, vni: number): Network => {
  const n = aNetwork(name);
  return { ...n, spec: { ...n.spec, bridge: `br${vni}`, mtu: 1450, vxlan: { vni } } };
};

test('a spanning network floods to every other live host with an underlay address', () => {
  const [a, b, c, stale] = [host('a', '169.254.9.2'), host('b', '169.254.9.3'), host('c', null), host('d', '169.254.9.5', '2025-01-01T00:00:00Z')];
  const hosts = [a, b, c, stale];
  const n = spanning('tenant-x', 4096);
  assert.deepEqual(vxlanFor(n, a.id, hosts, now), { vni: 4096, local: '169.254.9.2', peers: ['169.254.9.3'], spansHosts: true });
  assert.deepEqual(vxlanFor(n, c.id, hosts, now), { vni: 4096, local: null, peers: ['169.254.9.2', '169.254.9.3'], spansHosts: true }, 'a host without an underlay is told it has none');
  assert.deepEqual(vxlanFor(n, a.id, [a], now), { vni: 4096, local: '169.254.9.2', peers: [], spansHosts: false }, 'the only host');
  assert.equal(vxlanFor(aNetwork('default'), a.id, hosts, now), null, 'a network local to each host has no VXLAN');
  const rt = runtimeNetworkOf(n, '10.0.0.7', a.id, hosts, now);
  assert.deepEqual([rt.address, rt.prefixLength, rt.mtu, rt.vxlan?.vni], ['10.0.0.7', 24, 1450, 4096]);
});

test('a host carries the spanning networks of the appliances placed on it, and is sent the others as absent', () => {
  const [a, b, c] = [host('a', '169.254.9.2'), host('b', '169.254.9.3'), host('c', null)];
  const [x, y] = [spanning('tenant-x', 4096), spanning('tenant-y', 4097)];
  const onA = { ...anAppliance('one', 'img', { status: { hostId: a.id } }) };
  const onA2 = anAppliance('two', 'img', { status: { hostId: a.id } });
  const onB = anAppliance('three', 'img', { status: { hostId: b.id } });
  const stopped = anAppliance('four', 'img', { status: { hostId: null } });
  const apps = [
    { ...onA, spec: { ...onA.spec, network: 'tenant-x' } },
    { ...onA2, spec: { ...onA2.spec, network: 'default', moreNetworks: ['tenant-y'] } },
    { ...onB, spec: { ...onB.spec, network: 'tenant-x' } },
    { ...stopped, spec: { ...stopped.spec, network: 'tenant-y' } },
  ];
  const plan = fabricPlan([x, y, aNetwork('default')], [a, b, c], apps, now);
  assert.deepEqual([...plan.keys()].sort(), [a.id, b.id].sort(), 'only hosts with an underlay address take part');
  assert.deepEqual(plan.get(a.id)?.map((n) => [n.name, n.vxlan?.peers]), [['tenant-x', ['169.254.9.3']], ['tenant-y', ['169.254.9.3']]]);
  assert.deepEqual(plan.get(b.id)?.map((n) => n.name), ['tenant-x']);
});
