import { randomBytes } from 'node:crypto';

/**
 * A random /48 inside fd00::/16 as the text that starts its addresses, `fd00:1a2b:3c4d:`, in the
 * canonical form the kernel and the API print (no leading zeros), so `${p}:2` is compared as is.
 */
export function randomUlaPrefix(): string {
  const hextet = () => (0x1000 + (randomBytes(2).readUInt16BE() % 0xf000)).toString(16);
  return `fd00:${hextet()}:${hextet()}:`;
}
