import { z } from 'zod';
import { metaSchema } from './meta.ts';

/**
 * A network is a Linux bridge on each host plus an address pool (IPAM). Appliances get an address
 * from the pool at placement and keep it until they are deleted. Fleetyard never routes or NATs a
 * network to the outside: the host reaches appliances over the bridge address, nothing more.
 */
export const addressRangeSchema = z.object({ first: z.string(), last: z.string() });
export type AddressRange = z.infer<typeof addressRangeSchema>;

export const networkSpecSchema = z.object({
  bridge: z.string().regex(/^[a-zA-Z0-9_-]{1,15}$/),
  cidr: z.string(),
  gateway: z.string(),
  /**
   * Addresses IPAM never hands out, inclusive ranges: on a boot network, the range its boot
   * service lends to machines that network-boot before anybody registered them.
   */
  excluded: z.array(addressRangeSchema).default([]),
});
export const networkSchema = metaSchema.extend({ spec: networkSpecSchema, status: z.object({}) });
export type NetworkSpec = z.infer<typeof networkSpecSchema>;
export type Network = z.infer<typeof networkSchema>;
