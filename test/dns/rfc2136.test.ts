import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/domain/clock.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import { Rfc2136Backend, type Rfc2136Dns } from '../../src/dns/rfc2136-backend.ts';
import type { DnsRecord } from '../../src/dns/records.ts';
import { dig } from '../support/dig.ts';
import { startNamed, type Named } from '../support/named.ts';

/** RFC 2136 updates signed with TSIG, to Debian's BIND 9, checked with dig. */
let named: Named;
const backend = new Rfc2136Backend(systemClock, (sealed) => sealed);

before(async () => {
  named = await startNamed(['fy.test', '254.169.in-addr.arpa']);
});

after(async () => {
  await named?.stop();
});

const dns = (secret = named.key.secret): Rfc2136Dns => ({
  backend: 'rfc2136',
  zone: 'fy.test',
  server: named.address,
  port: named.port,
  keyName: named.key.name,
  keyAlgorithm: named.key.algorithm,
  keySecretSealed: secret,
});

const records = (address: string): DnsRecord[] => [
  { name: 'vm42.fy.test', type: 'A', value: address, zone: 'fy.test', network: 'n', applianceId: 'a' },
  { name: `${address.split('.').reverse().join('.')}.in-addr.arpa`, type: 'PTR', value: 'vm42.fy.test', zone: '254.169.in-addr.arpa', network: 'n', applianceId: 'a' },
];

describe('RFC 2136 updates to BIND 9', () => {
  it('publishes A and PTR records, replaces them, and removes them', async () => {
    await backend.publish(dns(), records('169.254.7.42'));
    assert.deepEqual((await dig(named.address, named.port, 'vm42.fy.test', 'A')).values, ['169.254.7.42']);
    assert.deepEqual((await dig(named.address, named.port, '169.254.7.42', 'PTR')).values, ['vm42.fy.test']);

    await backend.publish(dns(), records('169.254.7.43'));
    assert.deepEqual((await dig(named.address, named.port, 'vm42.fy.test', 'A')).values, ['169.254.7.43'], 'the RRset is replaced, not added to');
    await backend.remove(dns(), records('169.254.7.42'));
    await backend.remove(dns(), records('169.254.7.43'));
    assert.equal((await dig(named.address, named.port, 'vm42.fy.test', 'A')).status, 'NXDOMAIN');
    assert.equal((await dig(named.address, named.port, '169.254.7.43', 'PTR')).status, 'NXDOMAIN');
  });

  it('refuses a wrong key with a clear error and changes nothing', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64');
    await assert.rejects(backend.publish(dns(wrong), records('169.254.7.50')), (e: unknown) => {
      assert.ok(e instanceof FleetyardError);
      assert.equal(e.code, 'FY_DNS_UPDATE_FAILED');
      assert.equal(e.details?.tsigError, 'BADSIG');
      assert.match(e.message, /NOTAUTH.*BADSIG.*fleetyard-test-key/);
      return true;
    });
    assert.equal((await dig(named.address, named.port, 'vm42.fy.test', 'A')).status, 'NXDOMAIN');
  });

  it("refuses an answer whose signature does not verify (one bit changed on the way)", async () => {
    // A TCP relay to named that sets the AD bit of the answer's header: the MAC no longer fits.
    const relay = createServer((client) => {
      const upstream = connect({ host: named.address, port: named.port });
      client.on('data', (d) => upstream.write(d));
      let first = true;
      upstream.on('data', (d: Buffer) => {
        const out = Buffer.from(d);
        if (first && out.length > 5) out[5] = (out[5] as number) | 0x20;
        first = false;
        client.write(out);
      });
      upstream.on('end', () => client.end());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = (relay.address() as AddressInfo).port;
      await assert.rejects(backend.publish({ ...dns(), port }, records('169.254.7.60')), /signature does not verify/);
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await backend.remove(dns(), records('169.254.7.60'));
    }
  });

  it('says so when the server is not there', async () => {
    await named.stop();
    await assert.rejects(backend.publish(dns(), records('169.254.7.51')), /could not be reached/);
  });
});
