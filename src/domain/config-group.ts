import { z } from 'zod';
import { metaSchema } from './meta.ts';
import { nameSchema } from './names.ts';

/**
 * A configuration group (openQRM's Puppet groups): a named unit of configuration an admin
 * defines, applied to every appliance whose product or spec carries it, after the appliance
 * boots and before a cloud request is reported active, and again when it changes. `revision`
 * counts the group's changes; an appliance records the revision it was last given.
 *
 * One group may speak to several backends at once:
 * - `ansible`: a playbook Fleetyard runs against the appliance over SSH (its own inventory);
 * - `puppet`: the classes (with parameters) its external node classifier hands out;
 * - `cloudInit`: cloud-config keys merged into a VM's NoCloud user-data.
 */
export const configGroupSpecSchema = z.object({
  description: z.string().max(2000),
  revision: z.number().int().min(1),
  ansible: z.object({ playbook: z.string().max(262_144) }).nullable(),
  puppet: z.object({ classes: z.record(z.string(), z.record(z.string(), z.unknown())) }).nullable(),
  cloudInit: z.object({ cloudConfig: z.record(z.string(), z.unknown()) }).nullable(),
});
export type ConfigGroupSpec = z.infer<typeof configGroupSpecSchema>;

export const configGroupSchema = metaSchema.extend({ spec: configGroupSpecSchema, status: z.object({}) });
export type ConfigGroup = z.infer<typeof configGroupSchema>;

/** The configuration groups an appliance or product carries, by name, applied in this order. */
export const configGroupNamesSchema = z.array(nameSchema).max(32);

/** What the last application of each group to an appliance did (written by its reconciler). */
export const appliedConfigSchema = z.object({
  group: z.string(),
  revision: z.number().int(),
  state: z.enum(['applied', 'failed']),
  ok: z.number().int(),
  changed: z.number().int(),
  failed: z.number().int(),
  message: z.string(),
  at: z.string(),
});
export type AppliedConfig = z.infer<typeof appliedConfigSchema>;
