import type { Command } from 'commander';
import type { Group } from '../../domain/user.ts';
import { contextOf } from '../context.ts';
import { age, printJson, printList, printObject, type Column } from '../output.ts';

/** `fleetyard group …`: groups of users, which share a quota (admin only). */

const COLUMNS: Column<Group>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'NAME', value: (g) => g.name },
  { header: 'DESCRIPTION', value: (g) => g.spec.description },
  { header: 'AGE', value: (g) => age(g.createdAt) },
];

export function registerGroupCommands(program: Command): void {
  const group = program.command('group').description('manage groups of users (admin)');

  group
    .command('create')
    .description('create a group')
    .argument('<name>', 'name of the new group')
    .option('--description <text>', 'what the group is for')
    .action(async (name: string, opts: { description?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const created = await client.post<Group>('/api/v1/groups', { name, ...(opts.description ? { description: opts.description } : {}) });
      if (json) printJson(created);
      else printList(false, [created], COLUMNS);
    });

  group
    .command('list')
    .alias('ls')
    .description('list groups')
    .option('--name <name>', 'only the group with this name')
    .action(async (opts: { name?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      printList(json, await client.list<Group>('/api/v1/groups', { name: opts.name }), COLUMNS);
    });

  group
    .command('show')
    .description('show one group')
    .argument('<group>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('groups', idOrName);
      printObject(json, await client.get<Group>(`/api/v1/groups/${id}`));
    });
}
