import type { Appliance } from './appliance.ts';
import type { AppliedConfig, ConfigGroup } from './config-group.ts';

/**
 * Where an appliance stands with its configuration groups that have an Ansible part (the only
 * ones Fleetyard applies itself; a Puppet or cloud-init part is fetched or read by the appliance):
 * - `todo`: the groups to run now, in the appliance's order, each not yet applied at its current
 *   revision (applied at an older one, or never); none after a group that failed at its current
 *   revision, which waits for a change of that group;
 * - `failed`: the first group whose current revision failed, with what it said;
 * - `done`: every such group is applied at its current revision.
 *
 * `groups` are the groups the appliance names (any order; a name without a group is skipped).
 */
export interface ConfigProgress {
  todo: ConfigGroup[];
  failed: AppliedConfig | null;
  done: boolean;
}

export function configProgress(a: Appliance, groups: readonly ConfigGroup[]): ConfigProgress {
  const byName = new Map(groups.map((g) => [g.name, g]));
  const applied = new Map((a.status.config ?? []).map((c) => [c.group, c]));
  const todo: ConfigGroup[] = [];
  for (const name of a.spec.configGroups ?? []) {
    const g = byName.get(name);
    if (!g?.spec.ansible) continue;
    const last = applied.get(name);
    if (last && last.revision >= g.spec.revision) {
      if (last.state === 'failed') return { todo, failed: last, done: false };
      continue;
    }
    todo.push(g);
  }
  return { todo, failed: null, done: todo.length === 0 };
}

/** The appliance's record after a run: each group's new result replaces its old one, in the appliance's order. */
export function mergeApplied(a: Appliance, results: readonly AppliedConfig[]): AppliedConfig[] {
  const byGroup = new Map((a.status.config ?? []).map((c) => [c.group, c]));
  for (const r of results) byGroup.set(r.group, r);
  const order = a.spec.configGroups ?? [];
  return [...byGroup.values()].filter((c) => order.includes(c.group)).sort((x, y) => order.indexOf(x.group) - order.indexOf(y.group));
}
