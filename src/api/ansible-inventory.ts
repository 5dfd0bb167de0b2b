import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import type { User } from '../domain/user.ts';

/**
 * An Ansible dynamic inventory (the JSON an inventory script prints for `--list`) of every
 * appliance, for users' own Ansible: one group per configuration group (`config_<name>`) and per
 * label (`label_<key>_<value>`), each appliance under its name with `_meta.hostvars` (its address
 * as `ansible_host`, its owner, labels, configuration groups and phase). Ansible group names may
 * hold only letters, digits and `_`, so every other character becomes `_`.
 */
export interface AnsibleInventory {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | AnsibleInventory['_meta'];
}

const groupName = (prefix: string, ...parts: string[]) => `${prefix}_${parts.join('_')}`.replace(/[^A-Za-z0-9_]/g, '_');

export function ansibleInventory(appliances: readonly Appliance[], users: readonly User[]): AnsibleInventory {
  const owners = new Map(users.map((u) => [u.id, u.name]));
  const groups = new Map<string, string[]>();
  const hostvars: Record<string, Record<string, unknown>> = {};
  const join = (group: string, host: string) => {
    const hosts = groups.get(group) ?? [];
    if (!hosts.includes(host)) hosts.push(host);
    groups.set(group, hosts);
  };
  for (const a of [...appliances].sort((x, y) => x.name.localeCompare(y.name))) {
    if (a.deletionRequestedAt) continue;
    hostvars[a.name] = {
      ...(reachableAddress(a) ? { ansible_host: reachableAddress(a) } : {}),
      fleetyard_id: a.id,
      fleetyard_owner: a.spec.ownerId ? (owners.get(a.spec.ownerId) ?? a.spec.ownerId) : null,
      fleetyard_labels: a.spec.labels,
      fleetyard_config_groups: a.spec.configGroups ?? [],
      fleetyard_phase: a.status.phase,
      fleetyard_host_id: a.status.hostId,
    };
    join('fleetyard', a.name);
    for (const g of a.spec.configGroups ?? []) join(groupName('config', g), a.name);
    for (const [k, v] of Object.entries(a.spec.labels)) join(groupName('label', k, v), a.name);
  }
  const out: AnsibleInventory = { _meta: { hostvars } };
  for (const [name, hosts] of [...groups].sort(([x], [y]) => x.localeCompare(y))) out[name] = { hosts };
  out.all = { children: ['ungrouped', ...[...groups.keys()].sort()] };
  return out;
}
