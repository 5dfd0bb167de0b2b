import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidr6Contains, cidrs6Overlap, firstHost6, linkLocalOf, nextFreeAddress6, normaliseIpv6, parseCidr6, poolSize6 } from '../../src/network/ipam6.ts';
import { cidrsOverlap, poolSize } from '../../src/network/ipam.ts';

describe('IPv6 IPAM', () => {
  it('parses a CIDR, clearing host bits, and spells addresses one way', () => {
    assert.equal(parseCidr6('FD00:0001:0:0::5/64').network, 'fd00:1::');
    assert.equal(normaliseIpv6('fd00:0:0:0:0:0:0:0001'), 'fd00::1');
    assert.throws(() => parseCidr6('fd00::/129'), RangeError);
    assert.throws(() => parseCidr6('169.254.0.0/16'), RangeError);
    assert.throws(() => normaliseIpv6('fe80::1%eth0'), RangeError);
    assert.equal(firstHost6('fd00:1::/64'), 'fd00:1::1');
    assert.ok(cidr6Contains('fd00:1::/64', 'fd00:1::ffff:1'));
    assert.ok(!cidr6Contains('fd00:1::/64', 'fd00:2::1'));
  });

  it('hands out the lowest free address, never the network address or the gateway, jumping over excluded ranges', () => {
    const excluded = [{ first: 'fd00:1::3', last: 'fd00:1::ffff' }];
    assert.equal(nextFreeAddress6('fd00:1::/64', 'fd00:1::1', [], excluded), 'fd00:1::2');
    assert.equal(nextFreeAddress6('fd00:1::/64', 'fd00:1::1', ['fd00:1::2'], excluded), 'fd00:1::1:0');
    // A /126 has the network address and three others: the gateway and two to hand out.
    assert.equal(nextFreeAddress6('fd00:1::/126', 'fd00:1::1', ['fd00:1::2']), 'fd00:1::3');
    assert.equal(nextFreeAddress6('fd00:1::/126', 'fd00:1::1', ['fd00:1::2', 'fd00:1::3']), null);
  });

  it('counts the pool without walking it', () => {
    assert.equal(poolSize6('fd00:1::/64', 'fd00:1::1'), 2n ** 64n - 2n);
    assert.equal(poolSize6('fd00:1::/120', 'fd00:1::1', [{ first: 'fd00:1::10', last: 'fd00:1::1f' }, { first: 'fd00:1::18', last: 'fd00:1::20' }]), 255n - 1n - 17n);
    assert.equal(poolSize('10.0.0.0/8', '10.0.0.1'), 2 ** 24 - 3);
    assert.equal(poolSize('10.0.0.0/24', '10.0.0.5', [{ first: '10.0.0.1', last: '10.0.0.9' }]), 254 - 9);
  });

  it('tells overlapping ranges apart from neighbours', () => {
    assert.ok(cidrs6Overlap('fd00:1::/64', 'fd00:1::8000/113'));
    assert.ok(!cidrs6Overlap('fd00:1::/64', 'fd00:2::/64'));
    assert.ok(cidrsOverlap('169.254.10.0/24', '169.254.0.0/16'));
    assert.ok(!cidrsOverlap('169.254.10.0/24', '169.254.11.0/24'));
  });

  it("derives the link-local address a kernel makes from a MAC (EUI-64)", () => {
    assert.equal(linkLocalOf('02:1a:2b:3c:4d:5e'), 'fe80::1a:2bff:fe3c:4d5e');
    assert.equal(linkLocalOf('52:54:00:12:34:56'), 'fe80::5054:ff:fe12:3456');
  });
});
