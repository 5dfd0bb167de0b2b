import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Network } from '../../src/domain/network.ts';
import { applianceRecords, networkRecords, reverseName, reverseZone } from '../../src/dns/records.ts';

const network = (name: string, dns: Network['spec']['dns'], ipv6 = false): Network =>
  ({
    id: `id-${name}`,
    name,
    spec: { bridge: 'fy0', cidr: '169.254.64.0/22', gateway: '169.254.64.1', excluded: [], dns, ...(ipv6 ? { ipv6: { cidr: 'fd00:1::/64', gateway: 'fd00:1::1', excluded: [] } } : {}) },
    status: {},
  }) as unknown as Network;

const appliance = (patch: Partial<Appliance['status']>, spec: Partial<Appliance['spec']> = {}): Appliance => {
  const a = { id: 'app-1', name: 'web', generation: 1, deletionRequestedAt: null, spec: { hostname: 'web', network: 'default', ...spec }, status: { address: null, ...patch } };
  return a as unknown as Appliance;
};

describe('DNS records of an appliance', () => {
  it('are an A and a PTR on each network with a zone, AAAA and its PTR with an IPv6 address', () => {
    const nets = new Map([
      ['default', network('default', { backend: 'embedded', zone: 'fleetyard.internal' }, true)],
      ['back', network('back', { backend: 'embedded', zone: 'back.internal' })],
      ['plain', network('plain', null)],
    ]);
    const a = appliance({ address: '169.254.64.5', address6: 'fd00:1::5', moreAddresses: ['10.0.0.7', '10.1.0.7'] }, { moreNetworks: ['back', 'plain'] });
    const got = applianceRecords(a, nets).map((r) => `${r.zone} ${r.name} ${r.type} ${r.value}`);
    assert.deepEqual(got, [
      'fleetyard.internal web.fleetyard.internal A 169.254.64.5',
      '254.169.in-addr.arpa 5.64.254.169.in-addr.arpa PTR web.fleetyard.internal',
      'fleetyard.internal web.fleetyard.internal AAAA fd00:1::5',
      `${reverseZone('fd00:1::/64')} ${reverseName('fd00:1::5')} PTR web.fleetyard.internal`,
      'back.internal web.back.internal A 10.0.0.7',
      '254.169.in-addr.arpa 7.0.0.10.in-addr.arpa PTR web.back.internal',
    ]);
  });

  it('are AAAA and its PTR on a further network too, where the appliance has an IPv6 address there', () => {
    const nets = new Map([
      ['default', network('default', { backend: 'embedded', zone: 'fleetyard.internal' })],
      ['back', network('back', { backend: 'embedded', zone: 'back.internal' }, true)],
    ]);
    const a = appliance({ address: '169.254.64.5', moreAddresses: ['10.0.0.7'], moreAddresses6: ['fd00:1::7'] }, { moreNetworks: ['back'] });
    const got = applianceRecords(a, nets).map((r) => `${r.zone} ${r.name} ${r.type} ${r.value}`);
    assert.deepEqual(got.slice(2), [
      'back.internal web.back.internal A 10.0.0.7',
      '254.169.in-addr.arpa 7.0.0.10.in-addr.arpa PTR web.back.internal',
      'back.internal web.back.internal AAAA fd00:1::7',
      `${reverseZone('fd00:1::/64')} ${reverseName('fd00:1::7')} PTR web.back.internal`,
    ]);
  });

  it('are none without an address, while being deleted, or for a hostname that is no DNS label', () => {
    const net = network('default', { backend: 'embedded', zone: 'fleetyard.internal' });
    assert.deepEqual(networkRecords(net, [appliance({ address: null })]), []);
    assert.deepEqual(networkRecords(net, [{ ...appliance({ address: '169.254.64.5' }), deletionRequestedAt: '2026-01-01T00:00:00Z' }]), []);
    assert.deepEqual(applianceRecords(appliance({ address: '169.254.64.5' }, { hostname: 'not_a_label' }), new Map([['default', net]])), []);
  });

  it('name reverse zones by whole octets and nibbles', () => {
    assert.equal(reverseName('10.20.0.42'), '42.0.20.10.in-addr.arpa');
    assert.equal(reverseZone('10.20.0.0/16'), '20.10.in-addr.arpa');
    assert.equal(reverseZone('169.254.64.0/22'), '254.169.in-addr.arpa');
    assert.equal(reverseName('fd00::1'), `1.${'0.'.repeat(27)}0.0.d.f.ip6.arpa`);
    assert.equal(reverseZone('fd00:1::/64'), '0.0.0.0.0.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa');
  });
});
