import { Argument, Option, type Command } from 'commander';
import type { QuotaLimits } from '../../domain/quota.ts';
import { isId } from '../../domain/ids.ts';
import type { ApiClient } from '../api-client.ts';
import { usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { printJson, printTable } from '../output.ts';
import { ccuLimit, limit, unlimitedAsNull, type Limit } from './cloud-flags.ts';
import { resolveUser, whoAmI } from './principal.ts';

/**
 * `fleetyard quota …`: limits per user and per group; a request must fit both. Admins set them;
 * a user reads their own and their group's. `quota set` changes only the limits it is given:
 * the API replaces the whole set, so the CLI reads the current limits and sends them back merged.
 */

interface QuotaAnswer {
  subject: 'user' | 'group';
  id: string;
  limits: QuotaLimits;
}

type Subject = 'user' | 'group';

interface SetFlags {
  appliances?: Limit;
  cpu?: Limit;
  memory?: Limit;
  disk?: Limit;
  ccuPerMonth?: Limit;
}

const subjectArgument = (): Argument => new Argument('<kind>', 'whose quota').choices(['user', 'group']);

export function registerQuotaCommands(program: Command): void {
  const quota = program.command('quota').description('show and set quotas of users and groups');

  quota
    .command('show')
    .description('show the quota of a user or group (null limits are unlimited)')
    .addArgument(subjectArgument())
    .argument('<name>', 'ID or name')
    .action(async (kind: Subject, idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const q = await client.get<QuotaAnswer>(await quotaPath(client, kind, idOrName));
      printQuota(json, idOrName, q);
    });

  quota
    .command('set')
    .description('set limits of a user or group (admin); "none" lifts a limit, unnamed limits stay')
    .addArgument(subjectArgument())
    .argument('<name>', 'ID or name')
    .addOption(new Option('--appliances <n>', 'appliances held or reserved at once').argParser(limit))
    .addOption(new Option('--cpu <n>', 'CPUs').argParser(limit))
    .addOption(new Option('--memory <mib>', 'memory in MiB').argParser(limit))
    .addOption(new Option('--disk <mib>', 'disk in MiB').argParser(limit))
    .addOption(new Option('--ccu-per-month <ccu>', 'CCU spent per calendar month').argParser(ccuLimit))
    .action(async (kind: Subject, idOrName: string, opts: SetFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const path = await quotaPath(client, kind, idOrName);
      const current = (await client.get<QuotaAnswer>(path)).limits;
      const flags: [keyof QuotaLimits, Limit | undefined][] = [
        ['appliances', opts.appliances],
        ['cpu', opts.cpu],
        ['memoryMiB', opts.memory],
        ['diskMiB', opts.disk],
        ['ccuPerMonth', opts.ccuPerMonth],
      ];
      const given = Object.fromEntries(flags.flatMap(([k, v]) => (v === undefined ? [] : [[k, unlimitedAsNull(v)]])));
      const q = await client.json<QuotaAnswer>('PUT', path, { body: { ...current, ...given } });
      printQuota(json, idOrName, q);
    });
}

/** A user may read their own quota and their group's without the admin-only lists. */
async function quotaPath(client: ApiClient, kind: Subject, idOrName: string): Promise<string> {
  if (kind === 'user') return `/api/v1/quotas/users/${await resolveUser(client, idOrName)}`;
  if (isId(idOrName)) return `/api/v1/quotas/groups/${idOrName}`;
  // Only admins may list groups; a user knows their group by the ID on their own user.
  if ((await whoAmI(client)).role !== 'admin') throw usageError("give your group's ID (see `fleetyard user show YOUR-NAME`)");
  return `/api/v1/quotas/groups/${await client.resolveId('groups', idOrName)}`;
}

function printQuota(json: boolean, name: string, q: QuotaAnswer): void {
  if (json) return printJson(q);
  process.stdout.write(`quota of ${q.subject} ${name}\n`);
  printTable(Object.entries(q.limits), [
    { header: 'LIMIT', value: ([k]) => k },
    { header: 'VALUE', value: ([, v]) => (v === null ? 'unlimited' : v) },
  ]);
}
