import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { magicPacket, sendMagicPacket } from '../../src/power/wake-on-lan.ts';

describe('the Wake-on-LAN magic packet', () => {
  it('is six 0xff bytes and the MAC sixteen times, and arrives as one datagram', async () => {
    const packet = magicPacket('52:54:00:ab:cd:ef');
    assert.equal(packet.length, 102);
    assert.deepEqual([...packet.subarray(0, 6)], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    for (let i = 0; i < 16; i++) assert.equal(packet.subarray(6 + 6 * i, 12 + 6 * i).toString('hex'), '525400abcdef');
    assert.throws(() => magicPacket('52:54:00'), RangeError);

    const listener = createSocket('udp4');
    await new Promise<void>((r) => listener.bind(0, '127.0.0.1', () => r()));
    const port = listener.address().port;
    const got = new Promise<Buffer>((r) => listener.once('message', (m) => r(m)));
    try {
      await sendMagicPacket({ mac: '52:54:00:ab:cd:ef', address: '127.0.0.1', port });
      assert.deepEqual(await got, packet);
    } finally {
      listener.close();
    }
  });
});
