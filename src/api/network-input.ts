import { isIP } from 'node:net';
import { z } from 'zod';
import { FleetyardError } from '../domain/errors.ts';
import { nameSchema } from '../domain/names.ts';
import { dnsZoneSchema, DEFAULT_MTU, type AddressRange, type NetworkDns, type NetworkSpec } from '../domain/network.ts';
import { cidrContains, firstHost, ipv4ToInt, parseCidr } from '../network/ipam.ts';
import { cidr6Contains, firstHost6, ipv6ToBigInt, normaliseIpv6, parseCidr6 } from '../network/ipam6.ts';

/**
 * What an admin may send to make or change a network, and the checks of a whole spec that the
 * shapes alone cannot make (a gateway inside its CIDR, excluded ranges inside it). Every refusal
 * is FY_VALIDATION with `details.field`; checks against other networks (overlap, bridge in use)
 * are the routes' (they read the store).
 */

/** The MTU of a network that spans hosts: 1500 less VXLAN's 50 bytes of encapsulation. */
export const SPANNING_MTU = 1450;

/** Bridge names a host already uses for something else: appliances' ports and the loopback. */
const RESERVED_BRIDGE = /^(lo|fyv.*|fyq.*|fy-.*|vx.*)$/;

const bridgeInput = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,15}$/, 'must be 1-15 letters, digits, "_" or "-" (a Linux interface name)')
  .refine((b) => !RESERVED_BRIDGE.test(b), 'is a name Fleetyard or the host uses for other interfaces (lo, fyv…, fyq…, fy-…, vx…)');
const address = z.string().min(2).max(45);
const rangeInput = z.strictObject({ first: address, last: address });
const poolInput = {
  cidr: z.string().min(9).max(49).meta({ description: 'The pool, e.g. 169.254.80.0/24 or fd00:80::/64' }),
  gateway: address.optional().meta({ description: "The host bridge's address; default: the first host address" }),
  excluded: z.array(rangeInput).max(64).optional().meta({ description: 'Inclusive ranges IPAM never hands out' }),
};
const ipv6Input = z.strictObject(poolInput);

const dnsHost = z
  .string()
  .min(1)
  .max(253)
  .refine((s) => isIP(s) !== 0 || /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(s), 'must be an IP address or a host name');
const keySecret = z
  .string()
  .min(16)
  .max(256)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64 (as tsig-keygen prints it)')
  .meta({ description: 'The TSIG secret, base64; sealed at rest and never shown again' });

export const dnsInput = z.discriminatedUnion('backend', [
  z.strictObject({ backend: z.literal('embedded'), zone: dnsZoneSchema }),
  z.strictObject({
    backend: z.literal('rfc2136'),
    zone: dnsZoneSchema,
    server: dnsHost,
    port: z.number().int().min(1).max(65535).optional(),
    keyName: z.string().min(1).max(253).regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9.])?$/, 'must be a TSIG key name (letters, digits, ".", "_", "-")'),
    keyAlgorithm: z.enum(['hmac-sha256', 'hmac-sha512']),
    keySecret: keySecret.optional().meta({ description: 'Required unless the network already has an RFC 2136 key, which is then kept' }),
  }),
]);
export type DnsInput = z.infer<typeof dnsInput>;

export const networkCreateBody = z
  .strictObject({
    name: nameSchema,
    bridge: bridgeInput,
    ...poolInput,
    cidr: poolInput.cidr.optional().meta({ description: 'The IPv4 pool, e.g. 169.254.80.0/24; leave it out for an IPv6-only network (then `ipv6` is required)' }),
    ipv6: ipv6Input.nullable().optional().meta({ description: 'An IPv6 pool (a unique local fd00::/8 prefix of length 64..120), beside the IPv4 one or alone' }),
    dns: dnsInput.nullable().optional(),
    mtu: z.number().int().min(1280).max(9000).optional().meta({ description: 'Default 1500, or 1450 for a network that spans hosts' }),
    spansHosts: z.boolean().optional().meta({ description: 'Carry the network between hosts (VXLAN, with a VNI Fleetyard picks)' }),
  })
  .meta({
    examples: [
      { name: 'backend', bridge: 'fybackend', cidr: '169.254.80.0/24', ipv6: { cidr: 'fd00:80::/64' }, dns: { backend: 'embedded', zone: 'backend.internal' }, spansHosts: true },
    ],
  });
export type NetworkCreateBody = z.infer<typeof networkCreateBody>;

export const networkPatchBody = z.strictObject({
  version: z.number().int().min(1).meta({ description: "The network's version as last read; a change since answers FY_VERSION_CONFLICT" }),
  bridge: bridgeInput.optional(),
  cidr: poolInput.cidr.nullable().optional().meta({ description: 'null: no IPv4 pool (the network keeps an IPv6 one)' }),
  gateway: poolInput.gateway,
  excluded: poolInput.excluded,
  ipv6: ipv6Input.nullable().optional(),
  dns: dnsInput.nullable().optional(),
  mtu: z.number().int().min(1280).max(9000).nullable().optional().meta({ description: 'null: back to the default' }),
  spansHosts: z.boolean().optional(),
});
export type NetworkPatchBody = z.infer<typeof networkPatchBody>;

function invalid(field: string, message: string): FleetyardError {
  return new FleetyardError('FY_VALIDATION', `${field} ${message}`, { field });
}

/**
 * The network's pools as a whole: an IPv4 pool, an IPv6 pool or both, never neither. Without an
 * IPv4 pool the IPv4 fields are null and nothing is excluded from it.
 */
export function networkPools(
  v4: { cidr: string | null | undefined; gateway?: string | null | undefined; excluded?: AddressRange[] | undefined },
  ipv6: NetworkSpec['ipv6'],
): Pick<NetworkSpec, 'cidr' | 'gateway' | 'excluded' | 'ipv6'> {
  if (v4.cidr === null || v4.cidr === undefined) {
    if (!ipv6) throw invalid('cidr', 'is required unless the network has an IPv6 pool (ipv6): a network needs at least one pool');
    if (v4.gateway !== null && v4.gateway !== undefined) throw invalid('gateway', 'is an IPv4 gateway: it needs an IPv4 pool (cidr)');
    if ((v4.excluded ?? []).length > 0) throw invalid('excluded', 'are IPv4 ranges: they need an IPv4 pool (cidr)');
    return { cidr: null, gateway: null, excluded: [], ipv6 };
  }
  return { ...ipv4Pool({ cidr: v4.cidr, gateway: v4.gateway ?? undefined, excluded: v4.excluded }), ipv6 };
}

/** A parsed IPv4 pool: CIDR normalised, gateway defaulted, every address inside. */
export function ipv4Pool(input: { cidr: string; gateway?: string | undefined; excluded?: AddressRange[] | undefined }): { cidr: string; gateway: string; excluded: AddressRange[] } {
  let c;
  try {
    c = parseCidr(input.cidr);
  } catch {
    throw invalid('cidr', `"${input.cidr}" is not an IPv4 CIDR (a.b.c.d/len)`);
  }
  if (c.prefixLength < 8 || c.prefixLength > 30) throw invalid('cidr', 'must have a prefix length of 8..30');
  const cidr = `${c.network}/${c.prefixLength}`;
  const inside = (field: string, a: string) => {
    try {
      ipv4ToInt(a);
    } catch {
      throw invalid(field, `"${a}" is not an IPv4 address`);
    }
    if (!cidrContains(cidr, a) || a === c.network || a === c.broadcast) throw invalid(field, `${a} is not a host address of ${cidr}`);
  };
  const gateway = input.gateway ?? firstHost(cidr);
  inside('gateway', gateway);
  const excluded = input.excluded ?? [];
  excluded.forEach((r, i) => {
    inside(`excluded.${i}.first`, r.first);
    inside(`excluded.${i}.last`, r.last);
    if (ipv4ToInt(r.first) > ipv4ToInt(r.last)) throw invalid(`excluded.${i}`, 'must not end before it starts');
  });
  return { cidr, gateway, excluded };
}

/** A parsed IPv6 pool: a unique local prefix (fd00::/8) of length 64..120, addresses in RFC 5952 form. */
export function ipv6Pool(input: { cidr: string; gateway?: string | undefined; excluded?: AddressRange[] | undefined }): NonNullable<NetworkSpec['ipv6']> {
  let c;
  try {
    c = parseCidr6(input.cidr);
  } catch {
    throw invalid('ipv6.cidr', `"${input.cidr}" is not an IPv6 CIDR (fd00:…::/len)`);
  }
  if (c.prefixLength < 64 || c.prefixLength > 120) throw invalid('ipv6.cidr', 'must have a prefix length of 64..120');
  if (!cidr6Contains('fd00::/8', c.network)) throw invalid('ipv6.cidr', 'must be a unique local prefix inside fd00::/8');
  const cidr = `${c.network}/${c.prefixLength}`;
  const inside = (field: string, a: string): string => {
    let n: string;
    try {
      n = normaliseIpv6(a);
    } catch {
      throw invalid(field, `"${a}" is not an IPv6 address`);
    }
    if (!cidr6Contains(cidr, n) || n === c.network) throw invalid(field, `${a} is not a host address of ${cidr}`);
    return n;
  };
  const gateway = inside('ipv6.gateway', input.gateway ?? firstHost6(cidr));
  const excluded = (input.excluded ?? []).map((r, i) => {
    const range = { first: inside(`ipv6.excluded.${i}.first`, r.first), last: inside(`ipv6.excluded.${i}.last`, r.last) };
    if (ipv6ToBigInt(range.first) > ipv6ToBigInt(range.last)) throw invalid(`ipv6.excluded.${i}`, 'must not end before it starts');
    return range;
  });
  return { cidr, gateway, excluded };
}

/**
 * The stored DNS settings: an RFC 2136 key's secret sealed (`seal`), or the one already stored
 * kept when the input leaves the secret out.
 */
export function dnsSpec(input: DnsInput | null, current: NetworkDns | null | undefined, seal: (plain: string) => string): NetworkDns | null {
  if (input === null) return null;
  if (input.backend === 'embedded') return { backend: 'embedded', zone: input.zone };
  const { keySecret: secret, ...rest } = input;
  let keySecretSealed: string;
  if (secret !== undefined) keySecretSealed = seal(secret);
  else if (current?.backend === 'rfc2136') keySecretSealed = current.keySecretSealed;
  else throw invalid('dns.keySecret', 'is required for an RFC 2136 backend');
  return { ...rest, port: input.port ?? 53, keySecretSealed };
}

/** The MTU a network gets when the admin names none. */
export function defaultMtu(spansHosts: boolean): number {
  return spansHosts ? SPANNING_MTU : DEFAULT_MTU;
}
