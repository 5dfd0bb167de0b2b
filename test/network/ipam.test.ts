import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cidrContains,
  firstHost,
  freeAddressCount,
  hostAddresses,
  intToIpv4,
  ipv4ToInt,
  nextFreeAddress,
  parseCidr,
  prefixLength,
} from '../../src/network/ipam.ts';

describe('ipam', () => {
  it('parses a CIDR and normalises host bits', () => {
    assert.deepEqual(parseCidr('169.254.64.77/22'), {
      network: '169.254.64.0',
      prefixLength: 22,
      broadcast: '169.254.67.255',
      hostCount: 1022,
    });
    assert.equal(prefixLength('10.0.0.0/8'), 8);
    assert.equal(parseCidr('192.168.1.1/32').hostCount, 0);
    assert.equal(parseCidr('0.0.0.0/0').broadcast, '255.255.255.255');
  });

  it('rejects malformed input', () => {
    for (const bad of ['169.254.0.0', '169.254.0.0/33', '169.254.0/24', '256.1.1.1/24', '1.2.3.4/24/1', 'a.b.c.d/8', '01.2.3.4/8']) {
      assert.throws(() => parseCidr(bad), RangeError, bad);
    }
  });

  it('round-trips addresses through integers', () => {
    for (const a of ['0.0.0.0', '255.255.255.255', '169.254.169.254', '10.1.2.3']) assert.equal(intToIpv4(ipv4ToInt(a)), a);
    assert.equal(ipv4ToInt('255.255.255.255'), 0xffffffff);
  });

  it('skips network, gateway and broadcast', () => {
    const all = [...hostAddresses('169.254.10.0/29', '169.254.10.1')];
    assert.deepEqual(all, ['169.254.10.2', '169.254.10.3', '169.254.10.4', '169.254.10.5', '169.254.10.6']);
    assert.equal(firstHost('169.254.10.0/29'), '169.254.10.1');
  });

  it('chooses the lowest free address and reports exhaustion', () => {
    const cidr = '169.254.10.0/29';
    const gw = '169.254.10.1';
    assert.equal(nextFreeAddress(cidr, gw, []), '169.254.10.2');
    assert.equal(nextFreeAddress(cidr, gw, ['169.254.10.2', '169.254.10.4']), '169.254.10.3');
    const taken = ['169.254.10.2', '169.254.10.3', '169.254.10.4', '169.254.10.5', '169.254.10.6'];
    assert.equal(nextFreeAddress(cidr, gw, taken), null);
    assert.equal(freeAddressCount(cidr, gw, taken), 0);
    assert.equal(freeAddressCount(cidr, gw, ['169.254.10.2', '10.0.0.1']), 4);
    assert.equal(nextFreeAddress('169.254.10.0/31', null, []), null);
  });

  it('never hands out an address of an excluded range', () => {
    const cidr = '169.254.10.0/29';
    const gw = '169.254.10.1';
    const lent = [{ first: '169.254.10.2', last: '169.254.10.4' }];
    assert.equal(nextFreeAddress(cidr, gw, [], lent), '169.254.10.5');
    assert.equal(nextFreeAddress(cidr, gw, ['169.254.10.5'], [...lent, { first: '169.254.10.6', last: '169.254.10.6' }]), null);
  });

  it('tells whether an address is inside a network', () => {
    assert.ok(cidrContains('169.254.64.0/22', '169.254.67.1'));
    assert.ok(!cidrContains('169.254.64.0/22', '169.254.68.1'));
  });
});
