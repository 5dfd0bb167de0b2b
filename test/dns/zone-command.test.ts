import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authDnsmasqArgs, embeddedZoneSchema, hostsFile, zonePaths } from '../../src/dns/dnsmasq-auth.ts';

const good = {
  network: 'default',
  bridge: 'fy0',
  gateway: '169.254.7.1',
  zone: 'fleetyard.internal',
  cidrs: ['169.254.7.0/24', 'fd00:7::/64'],
  records: [{ name: 'web.fleetyard.internal', type: 'A', value: '169.254.7.5' }],
};

describe("the agent's DNS zone command", () => {
  it('is taken as it is when well formed, and becomes a hosts file and an authoritative-only command line', () => {
    const z = embeddedZoneSchema.parse(good);
    assert.equal(hostsFile(z), '169.254.7.5 web.fleetyard.internal\n');
    const args = authDnsmasqArgs(z, zonePaths('/var/lib/fy/dns', z.network));
    for (const a of ['--no-resolv', '--no-hosts', '--bind-interfaces', '--listen-address=169.254.7.1', '--auth-zone=fleetyard.internal,169.254.7.0/24,fd00:7::/64', '--hostsdir=/var/lib/fy/dns/default/hosts.d']) {
      assert.ok(args.includes(a), a);
    }
  });

  it('is refused when a field could reach outside its directory, its file or its command line', () => {
    for (const bad of [
      { ...good, network: '../etc' },
      { ...good, network: 'a/b' },
      { ...good, zone: 'fleetyard.internal,0.0.0.0/0' },
      { ...good, gateway: '169.254.7.1 --port=5353' },
      { ...good, bridge: 'fy0;rm' },
      { ...good, cidrs: ['not-a-prefix'] },
      { ...good, records: [{ name: 'web.fleetyard.internal\n1.2.3.4 evil', type: 'A', value: '169.254.7.5' }] },
      { ...good, records: [{ name: 'web.fleetyard.internal', type: 'A', value: '169.254.7.5\n1.2.3.4 evil' }] },
      { ...good, records: [{ name: 'web.fleetyard.internal', type: 'PTR', value: '169.254.7.5' }] },
    ]) {
      assert.equal(embeddedZoneSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
