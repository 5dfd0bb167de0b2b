import { parseArgs } from 'node:util';

/**
 * The parts of `npm run bench`, each with its own time budget. All run by default;
 * `npm run bench -- --only vm-clone,qemu-console,pxe` runs the named ones (in this order).
 */
export const PARTS = {
  container: { budgetMs: 8 * 60_000, what: 'container request→running, stop, delete: warm-up, sequential and concurrent rows' },
  clone: { budgetMs: 2 * 60_000, what: 'container clone + mount, 10 MiB vs 1 GiB image' },
  'vm-clone': { budgetMs: 15 * 60_000, what: 'qemu disk clone over a 10 MiB vs a 10 GiB base disk' },
  'qemu-console': { budgetMs: 10 * 60_000, what: 'request → "appliance up" on a VM\'s console, and → running' },
  pxe: { budgetMs: 8 * 60_000, what: 'power-on → running of a PXE-booted server, with its boot phases' },
  checks: { budgetMs: 2 * 60_000, what: "the agent's health-check scheduling at 1,000 checks a minute (check_tcp), CPU per check" },
  failover: { budgetMs: 12 * 60_000, what: 'a host dies: HA appliances (1 and 50) fenced, placed and running elsewhere, with the default lease; sim and container hosts' },
  power: { budgetMs: 3 * 60_000, what: "Green IT: a simulated week of day-and-night load on 1,000 simulated hosts under the power manager's plan; host-hours off, late reservations" },
} as const;

export type Part = keyof typeof PARTS;

export function isPart(x: string): x is Part {
  return Object.hasOwn(PARTS, x);
}

/** The parts asked for on the command line (`--only a,b`), in PARTS order; all without it. */
export function selectedParts(argv: string[]): Part[] {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string' } }, strict: true });
  const all = Object.keys(PARTS) as Part[];
  if (values.only === undefined) return all;
  const asked = values.only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = asked.filter((p) => !isPart(p));
  if (unknown.length > 0 || asked.length === 0) {
    throw new Error(`--only takes a comma-separated list of: ${all.join(', ')} (got ${values.only})`);
  }
  return all.filter((p) => asked.includes(p));
}

/** The overall deadline: the sum of the selected parts' budgets. */
export function deadlineMs(parts: readonly Part[]): number {
  return parts.reduce((ms, p) => ms + PARTS[p].budgetMs, 0);
}
