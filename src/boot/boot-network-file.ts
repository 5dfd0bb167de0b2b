import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FleetyardError } from '../domain/errors.ts';
import { validateBootNetwork, type BootNetwork } from './boot-network.ts';

/**
 * Boot networks come from a JSON file an operator writes (`--boot-networks FILE`, or
 * FLEETYARD_BOOT_NETWORKS): an array of BootNetwork objects (see boot-network.ts), e.g.
 *
 *   [{ "name": "metal", "bridge": "br-metal", "netns": null, "serverAddress": "169.254.90.1",
 *      "prefixLength": 24, "httpPort": 8081, "routerAdvertisements": false,
 *      "discoveryRange": { "first": "169.254.90.200", "last": "169.254.90.220" } }]
 *
 * The server's file declares the networks (each becomes a Fleetyard network of that name, see
 * control-plane/seed.ts) and its embedded agent serves them; an agent's file says which of them
 * that machine serves.
 */
const fileSchema = z.array(
  z.strictObject({
    name: z.string(),
    bridge: z.string(),
    netns: z.string().nullable().default(null),
    serverAddress: z.string(),
    prefixLength: z.number().int(),
    httpPort: z.number().int().default(8080),
    discoveryRange: z.strictObject({ first: z.string(), last: z.string() }).nullable().default(null),
    routerAdvertisements: z.boolean().default(false),
  }),
);

export function readBootNetworks(file: string): BootNetwork[] {
  const bad = (why: string) => new FleetyardError('FY_VALIDATION', `boot networks file ${file}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw bad(e instanceof Error ? e.message : String(e));
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw bad(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const names = new Set<string>();
  return parsed.data.map((net) => {
    if (names.has(net.name)) throw bad(`network ${net.name} is listed twice`);
    names.add(net.name);
    try {
      return validateBootNetwork(net);
    } catch (e) {
      throw bad(e instanceof Error ? e.message : String(e));
    }
  });
}
