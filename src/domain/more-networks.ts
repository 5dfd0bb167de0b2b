import { z } from 'zod';
import { nameSchema } from './names.ts';

/**
 * An appliance's further networks (`spec.moreNetworks`): one interface each after its first
 * network (eth1, eth2, … in order), none of them a route. Eight interfaces at most in all.
 */
export const MAX_MORE_NETWORKS = 7;

/** The input form: network names, checked against each other and the first by `moreNetworksProblems`. */
export const moreNetworksInput = z.array(nameSchema).max(MAX_MORE_NETWORKS);

export interface MoreNetworksProblem {
  /** The index in `moreNetworks` the problem is at. */
  index: number;
  why: 'first-network' | 'duplicate';
  message: string;
}

/**
 * What is wrong with `more` beside `first`, whatever exists: each network once, and not the first
 * again (an appliance has one interface per network). Pure, so the console and stacks share it.
 */
export function moreNetworksProblems(first: string, more: readonly string[]): MoreNetworksProblem[] {
  const problems: MoreNetworksProblem[] = [];
  const seen = new Set<string>();
  more.forEach((name, index) => {
    if (name === first) problems.push({ index, why: 'first-network', message: `"${name}" is already the first network` });
    else if (seen.has(name)) problems.push({ index, why: 'duplicate', message: `network "${name}" appears more than once` });
    seen.add(name);
  });
  return problems;
}
