import { z } from 'zod';
import { labelsSchema } from './names.ts';
import { metaSchema, virtualizationSchema } from './meta.ts';
import { hostLeaseSchema } from './host-lease.ts';
import { hostPowerSchema } from './host-power.ts';

/**
 * A resource is a machine that can run one appliance: a physical server, a VM or a container
 * slot. A virtual resource names its `hostId`. Capacity is what it offers; for a host it is what
 * its virtual resources may consume together.
 */
export const resourceTypeSchema = z.enum(['physical', 'vm', 'container']);
export type ResourceType = z.infer<typeof resourceTypeSchema>;

/**
 * What a resource is to an operator, as lists filter it: a `host` (runs an agent, see host.ts),
 * a `server` (a physical machine a host network-boots) or a `slot` (a VM or container on a host).
 */
export const resourceRoleSchema = z.enum(['host', 'server', 'slot']);
export type ResourceRole = z.infer<typeof resourceRoleSchema>;

export const capacitySchema = z.object({
  cpu: z.number().int().min(0),
  memoryMiB: z.number().int().min(0),
  diskMiB: z.number().int().min(0),
});
export type Capacity = z.infer<typeof capacitySchema>;

export const bmcSchema = z.object({
  address: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1).max(64),
  passwordSealed: z.string(),
});
export type Bmc = z.infer<typeof bmcSchema>;

export const wakeOnLanSchema = z.object({
  /** The MAC of the network card that listens for the magic packet. */
  mac: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/),
  /** Where the packet goes: the broadcast address of the host's network (or the host's address). */
  address: z.string(),
  port: z.number().int().min(1).max(65535),
});
export type WakeOnLan = z.infer<typeof wakeOnLanSchema>;

export const resourceSpecSchema = z.object({
  type: resourceTypeSchema,
  hostId: z.string().nullable(),
  capacity: capacitySchema,
  /** Virtualization types this resource hosts (non-empty makes it a host, see host.ts). */
  virtualizations: z.array(virtualizationSchema),
  labels: labelsSchema,
  /** The boot NIC of a physical server (what its DHCP reservation and iPXE script are keyed on). */
  mac: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/).nullable().optional(),
  /** How to power a physical server; the password is sealed with the installation's secret key. */
  bmc: bmcSchema.nullable().optional(),
  /** A host without a BMC: woken by a magic packet, powered off by its agent (src/power/). */
  wakeOnLan: wakeOnLanSchema.nullable().optional(),
});

export const powerStateSchema = z.enum(['on', 'off', 'unknown']);
export const resourceStateSchema = z.enum(['active', 'idle', 'off', 'error', 'unknown']);

export const resourceStatusSchema = z.object({
  state: resourceStateSchema,
  powerState: powerStateSchema,
  applianceId: z.string().nullable(),
  address: z.string().nullable(),
  lastHeartbeatAt: z.string().nullable(),
  facts: z.record(z.string(), z.unknown()),
  /** A host's lease and fencing state (hosts only; see host-lease.ts). */
  lease: hostLeaseSchema.optional(),
  /** Where the power manager has a host in its plan (hosts only; see host-power.ts). */
  power: hostPowerSchema.optional(),
});

export const resourceSchema = metaSchema.extend({
  spec: resourceSpecSchema,
  status: resourceStatusSchema,
});

export type ResourceSpec = z.infer<typeof resourceSpecSchema>;
export type ResourceStatus = z.infer<typeof resourceStatusSchema>;
export type Resource = z.infer<typeof resourceSchema>;
