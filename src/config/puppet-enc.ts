import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import type { ConfigGroup } from '../domain/config-group.ts';
import { stringifyYaml11 } from './yaml-1-1.ts';

/**
 * Puppet's view of an appliance: the document its external node classifier (ENC) prints for a
 * node, as https://www.puppet.com/docs/puppet/latest/nodes_external.html describes it:
 *
 *   environment: production
 *   classes:                      every class of the appliance's groups, with its parameters
 *     ntp: { servers: [...] }
 *     motd: {}
 *   parameters:                   top-scope variables about the appliance, all `fleetyard_*`
 *     fleetyard_appliance_id: …
 *
 * Classes come from the groups in the appliance's order; a class named by several groups gets
 * the union of their parameters, a later group's value winning for a parameter both set (the
 * same rule as the groups' cloud-config). A group without `puppet` adds nothing, and its name
 * still appears in `fleetyard_config_groups`. The parameters carry a `fleetyard_` prefix so that
 * none collides with a fact of the same name (`hostname`, `fqdn`, …), which Puppet would refuse.
 */
export interface EncDocument {
  environment: string;
  classes: Record<string, Record<string, unknown>>;
  parameters: Record<string, unknown>;
}

export interface EncInput {
  appliance: Appliance;
  /** The appliance's groups, in its order (src/store/config-groups-of.ts). */
  groups: readonly ConfigGroup[];
  /** `<hostname>.<zone>` when its network has a DNS zone, else null. */
  fqdn: string | null;
  owner: { id: string; name: string } | null;
  environment?: string;
}

export const ENC_ENVIRONMENT = 'production';

export function puppetEnc(input: EncInput): EncDocument {
  const a = input.appliance;
  return {
    environment: input.environment ?? ENC_ENVIRONMENT,
    classes: encClasses(input.groups),
    parameters: {
      fleetyard_appliance_id: a.id,
      fleetyard_appliance_name: a.name,
      fleetyard_hostname: a.spec.hostname,
      fleetyard_fqdn: input.fqdn,
      fleetyard_owner: input.owner?.name ?? null,
      fleetyard_owner_id: input.owner?.id ?? null,
      fleetyard_labels: { ...a.spec.labels },
      fleetyard_network: a.spec.network,
      fleetyard_address: reachableAddress(a),
      fleetyard_address6: a.status.address6 ?? null,
      fleetyard_more_addresses: a.status.moreAddresses ?? [],
      fleetyard_config_groups: input.groups.map((g) => g.name),
    },
  };
}

/** The classes of the groups, merged in their order (a later group's parameter wins). */
export function encClasses(groups: readonly ConfigGroup[]): EncDocument['classes'] {
  const classes: EncDocument['classes'] = {};
  for (const g of groups) {
    for (const [name, params] of Object.entries(g.spec.puppet?.classes ?? {})) {
      classes[name] = { ...(classes[name] ?? {}), ...params };
    }
  }
  return classes;
}

/** The ENC's output: YAML that Puppet's (YAML 1.1) parser reads back as the same document. */
export function renderEnc(doc: EncDocument): string {
  return stringifyYaml11(doc);
}
