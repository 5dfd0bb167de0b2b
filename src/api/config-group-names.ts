import { FleetyardError } from '../domain/errors.ts';
import type { Repos } from '../store/store.ts';

/**
 * Refuses configuration group names that name no group (FY_NOT_FOUND, the first missing one) or
 * name one twice (FY_VALIDATION), so a product or an appliance only ever carries groups that exist.
 */
export async function requireConfigGroups(repos: Repos, names: readonly string[] | undefined, field = 'configGroups'): Promise<void> {
  if (!names) return;
  if (new Set(names).size !== names.length) throw new FleetyardError('FY_VALIDATION', `${field} names a configuration group twice`, { field });
  for (const name of names) {
    if (!(await repos.configGroups.getByName(name))) {
      throw new FleetyardError('FY_NOT_FOUND', `configuration group ${name} does not exist`, { kind: 'config-group', id: name, field });
    }
  }
}
