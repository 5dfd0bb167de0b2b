import { usageError } from './cli-error.ts';

/** Collects a repeatable `--flag key=value` option. */
export const collectPairs = (v: string, all: string[] | undefined): string[] => [...(all ?? []), v];

/** `key=value` words as labels; `flag` names the option in the usage error. */
export function parseLabels(pairs: string[], flag = '--label'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`${flag} "${pair}" is not key=value`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}
