import { FleetyardError } from '../domain/errors.ts';
import { moreNetworksProblems } from '../domain/more-networks.ts';
import type { Repos } from '../store/store.ts';

/**
 * Checks an appliance's further networks at the API: each once, not the first again
 * (FY_VALIDATION), each existing (FY_NOT_FOUND) and each with an IPv4 pool (an IPv6-only network
 * is only ever the first: FY_VALIDATION); `details.field` names the entry, e.g.
 * `moreNetworks.1`. Answers the names, in order.
 */
export async function checkMoreNetworks(read: Repos, first: string, more: readonly string[], field = 'moreNetworks'): Promise<string[]> {
  const [problem] = moreNetworksProblems(first, more);
  if (problem) {
    const at = `${field}.${problem.index}`;
    throw new FleetyardError('FY_VALIDATION', `${at}: ${problem.message}`, {
      field: at,
      issues: [{ path: `/${field}/${problem.index}`, message: problem.message }],
    });
  }
  for (const [i, name] of more.entries()) {
    const n = await read.networks.getByName(name);
    if (!n) throw new FleetyardError('FY_NOT_FOUND', `network ${name} does not exist`, { kind: 'network', id: name, field: `${field}.${i}` });
    if (n.spec.cidr === null) {
      const message = `network ${name} is IPv6-only: it can only be an appliance's first network`;
      throw new FleetyardError('FY_VALIDATION', `${field}.${i}: ${message}`, { field: `${field}.${i}`, issues: [{ path: `/${field}/${i}`, message }] });
    }
  }
  return [...more];
}
