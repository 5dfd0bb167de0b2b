import { createSocket } from 'node:dgram';
import type { WakeOnLan } from '../domain/resource.ts';

/**
 * The Wake-on-LAN magic packet: six 0xff bytes, then the MAC sixteen times, sent as one UDP
 * datagram to the host network's broadcast address (port 9 by custom). A network card armed for
 * it powers its machine on; nothing answers, so a wake is confirmed only by the host's heartbeat.
 */
export function magicPacket(mac: string): Buffer {
  const bytes = Buffer.from(mac.replace(/:/g, ''), 'hex');
  if (bytes.length !== 6) throw new RangeError(`not a MAC: ${mac}`);
  return Buffer.concat([Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => bytes)]);
}

export async function sendMagicPacket(target: WakeOnLan): Promise<void> {
  const socket = createSocket({ type: 'udp4' });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.setBroadcast(true);
        socket.send(magicPacket(target.mac), target.port, target.address, (e) => (e ? reject(e) : resolve()));
      });
    });
  } finally {
    socket.close();
  }
}
