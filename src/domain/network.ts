import { z } from 'zod';
import { metaSchema } from './meta.ts';

/**
 * A network is a Linux bridge on each host plus address pools (IPAM). Appliances get an address
 * from each pool at placement and keep it until they are deleted. Fleetyard never routes or NATs a
 * network to the outside: the host reaches appliances over the bridge address, nothing more.
 *
 * A network that spans hosts is carried between them by the kernel's VXLAN (its `vni`), so the
 * appliances on it share one L2 segment whatever host they run on. A tenant's private network
 * (`tenant`) is made for a cloud user (or group) the first time they need one; no other tenant's
 * appliance is ever placed on it.
 */
export const addressRangeSchema = z.object({ first: z.string(), last: z.string() });
export type AddressRange = z.infer<typeof addressRangeSchema>;

/** An IPv6 pool beside the network's IPv4 one (`cidr`, `gateway`, `excluded`). */
export const ipv6PoolSchema = z.object({
  cidr: z.string(),
  gateway: z.string(),
  excluded: z.array(addressRangeSchema).default([]),
});
export type Ipv6Pool = z.infer<typeof ipv6PoolSchema>;

/** A DNS zone name: lower-case labels of letters, digits and hyphens, no trailing dot. */
export const dnsZoneSchema = z
  .string()
  .max(200)
  .regex(/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/);

/**
 * Where a network's appliance names are published. `embedded`: a dnsmasq Fleetyard runs on each
 * host for the network, authoritative for the zone, answering on the gateway address (the
 * appliances' resolver). `rfc2136`: dynamic updates signed with TSIG to an existing server; the
 * key's secret is sealed at rest and never returned.
 */
export const networkDnsSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('embedded'), zone: dnsZoneSchema }),
  z.object({
    backend: z.literal('rfc2136'),
    zone: dnsZoneSchema,
    server: z.string(),
    port: z.number().int().min(1).max(65535),
    keyName: z.string(),
    keyAlgorithm: z.enum(['hmac-sha256', 'hmac-sha512']),
    keySecretSealed: z.string(),
  }),
]);
export type NetworkDns = z.infer<typeof networkDnsSchema>;

/** Whose private network this is; null for a network every appliance may use. */
export const networkTenantSchema = z.object({ kind: z.enum(['user', 'group']), id: z.string() });
export type NetworkTenant = z.infer<typeof networkTenantSchema>;

export const DEFAULT_DNS_ZONE = 'fleetyard.internal';
export const DEFAULT_MTU = 1500;

export const networkSpecSchema = z.object({
  bridge: z.string().regex(/^[a-zA-Z0-9_-]{1,15}$/),
  /** The IPv4 pool; null on an IPv6-only network (then `ipv6` is set). */
  cidr: z.string().nullable(),
  gateway: z.string().nullable(),
  /**
   * Addresses IPAM never hands out, inclusive ranges: on a boot network, the range its boot
   * service lends to machines that network-boot before anybody registered them.
   */
  excluded: z.array(addressRangeSchema).default([]),
  ipv6: ipv6PoolSchema.nullable().optional(),
  dns: networkDnsSchema.nullable().optional(),
  mtu: z.number().int().min(1280).max(9000).optional(),
  /** Carried between hosts by VXLAN with this VNI; absent: the network is local to each host. */
  vxlan: z.object({ vni: z.number().int().min(1).max(16_777_215) }).nullable().optional(),
  tenant: networkTenantSchema.nullable().optional(),
  /**
   * Who made it: `configuration` (the `default` network and one per boot network, made again at
   * every start, so its bridge and IPv4 pool belong to the configuration and it is never
   * deleted through the API), `admin` (the API) or `tenant` (a cloud user's or group's private
   * network, made on first need, src/cloud/tenant-networks.ts); absent is `admin`.
   */
  origin: z.enum(['configuration', 'admin', 'tenant']).optional(),
});
export const networkSchema = metaSchema.extend({ spec: networkSpecSchema, status: z.object({}) });
export type NetworkSpec = z.infer<typeof networkSpecSchema>;
export type Network = z.infer<typeof networkSchema>;

/** The DNS settings as shown: an RFC 2136 key's secret (even sealed) never leaves the store. */
export const networkDnsViewSchema = z.discriminatedUnion('backend', [
  networkDnsSchema.options[0],
  networkDnsSchema.options[1].omit({ keySecretSealed: true }),
]);
export const networkSpecViewSchema = networkSpecSchema.extend({ dns: networkDnsViewSchema.nullable().optional() });
export const networkViewSchema = metaSchema.extend({ spec: networkSpecViewSchema, status: z.object({}) });
export type NetworkSpecView = z.infer<typeof networkSpecViewSchema>;
export type NetworkView = z.infer<typeof networkViewSchema>;

/** A spec without its secrets: what the API answers and what events carry. */
export function publicNetworkSpec(spec: NetworkSpec): NetworkSpecView {
  if (spec.dns?.backend !== 'rfc2136') return spec;
  const { keySecretSealed: _sealed, ...dns } = spec.dns;
  return { ...spec, dns };
}

export function networkView(n: Network): NetworkView {
  return { ...n, spec: publicNetworkSpec(n.spec) };
}
