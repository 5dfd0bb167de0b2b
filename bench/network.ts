import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { exec } from '../src/host/exec.ts';

/**
 * The benchmark's own network: a bridge `fyb` + 6 hex and a /24 inside 169.254.0.0/16 that no
 * interface or route on the host uses yet. Link-local only, so nothing the benchmark starts is
 * routed anywhere; 169.254.169.x (cloud metadata) and 169.254.64-67.x (the default `fy0`
 * network of a real installation) are never picked.
 */
export interface BenchNetwork {
  bridge: string;
  cidr: string;
}

const AVOID = new Set([64, 65, 66, 67, 169]);

export async function pickNetwork(): Promise<BenchNetwork> {
  const used = (await exec('ip', ['-o', '-4', 'addr'])).stdout;
  const routes = await readFile('/proc/net/route', 'utf8');
  for (let attempt = 0; attempt < 200; attempt++) {
    const third = 1 + ((randomBytes(1)[0] as number) % 254);
    if (AVOID.has(third)) continue;
    const prefix = `169.254.${third}.`;
    // /proc/net/route prints destinations as little-endian hex: 169.254.X.0 -> 00 X FE A9.
    const hexNet = Buffer.from([0, third, 254, 169]).toString('hex').toUpperCase();
    if (used.includes(` ${prefix}`) || routes.includes(hexNet)) continue;
    return { bridge: `fyb${randomBytes(3).toString('hex')}`, cidr: `${prefix}0/24` };
  }
  throw new Error('no free /24 in 169.254.0.0/16');
}
