import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppliedConfig, ConfigGroup } from '../../domain/config-group.ts';
import { usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { printJson, printList, printObject, type Column } from '../output.ts';

/**
 * `fleetyard config-group …` (admin): configuration groups, the named and versioned units of
 * configuration products and appliances carry. A playbook comes from a file (`-` for stdin);
 * every change raises the group's revision, which applies it again to the appliances carrying it.
 */

const columns: Column<ConfigGroup>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'NAME', value: (g) => g.name },
  { header: 'REV', value: (g) => String(g.spec.revision) },
  { header: 'PARTS', value: (g) => (['ansible', 'puppet', 'cloudInit'] as const).filter((p) => g.spec[p]).join(',') || '-' },
  { header: 'DESCRIPTION', value: (g) => g.spec.description },
];

interface Usage {
  products: Array<{ id: string; name: string }>;
  appliances: Array<{ id: string; name: string; applied: AppliedConfig | null }>;
}

interface GroupFlags {
  description?: string;
  playbook?: string;
}

export function registerConfigGroupCommands(program: Command): void {
  const group = program.command('config-group').description('manage configuration groups: Ansible playbooks (and Puppet classes, cloud-config) products and appliances carry (admin)');

  group
    .command('list')
    .alias('ls')
    .description('list configuration groups')
    .option('--name <name>', 'only the group with this name')
    .action(async (opts: { name?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      printList(json, await client.list<ConfigGroup>('/api/v1/config-groups', { name: opts.name }), columns);
    });

  group
    .command('show')
    .description('show a group, who carries it and what its last application did on each appliance')
    .argument('<group>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('config-groups', idOrName);
      const [g, usage] = await Promise.all([client.get<ConfigGroup>(`/api/v1/config-groups/${id}`), client.get<Usage>(`/api/v1/config-groups/${id}/usage`)]);
      if (json) return printJson({ ...g, usage });
      printObject(false, {
        id: g.id,
        name: g.name,
        revision: g.spec.revision,
        description: g.spec.description,
        products: usage.products.map((p) => p.name).join(', ') || '-',
        appliances: usage.appliances.map((a) => `${a.name} (${a.applied ? `${a.applied.state} r${a.applied.revision}: ${a.applied.message}` : 'not applied yet'})`).join('; ') || '-',
      });
      if (g.spec.ansible) process.stdout.write(`\nplaybook:\n${g.spec.ansible.playbook}${g.spec.ansible.playbook.endsWith('\n') ? '' : '\n'}`);
    });

  group
    .command('create')
    .description('define a configuration group')
    .argument('<name>', 'name of the new group')
    .option('--description <text>', 'what the group does')
    .option('--playbook <file>', 'an Ansible playbook (YAML) run against each appliance carrying it (- for stdin)')
    .action(async (name: string, opts: GroupFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const body = { name, ...(opts.description !== undefined ? { description: opts.description } : {}), ...(opts.playbook ? { ansible: { playbook: readPlaybook(opts.playbook) } } : {}) };
      const created = await client.post<ConfigGroup>('/api/v1/config-groups', body);
      if (json) printJson(created);
      else printList(false, [created], columns);
    });

  group
    .command('set')
    .description('change a configuration group; its revision goes up and the appliances carrying it get it again')
    .argument('<group>', 'ID or name')
    .option('--description <text>', 'what the group does')
    .option('--playbook <file>', 'the new playbook (- for stdin)')
    .option('--no-playbook', 'remove the Ansible part')
    .action(async (idOrName: string, opts: { description?: string; playbook?: string | false }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('config-groups', idOrName);
      const body: Record<string, unknown> = {};
      if (opts.description !== undefined) body.description = opts.description;
      if (opts.playbook === false) body.ansible = null;
      else if (typeof opts.playbook === 'string') body.ansible = { playbook: readPlaybook(opts.playbook) };
      if (Object.keys(body).length === 0) throw usageError('nothing to change: give --description, --playbook or --no-playbook');
      const changed = await client.json<ConfigGroup>('PATCH', `/api/v1/config-groups/${id}`, { body });
      if (json) printJson(changed);
      else printList(false, [changed], columns);
    });

  group
    .command('rm')
    .alias('delete')
    .description('delete a configuration group no product or appliance carries')
    .argument('<group>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client } = contextOf(cmd);
      const id = await client.resolveId('config-groups', idOrName);
      await client.delete(`/api/v1/config-groups/${id}`);
    });
}

function readPlaybook(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw usageError(`cannot read ${file === '-' ? 'stdin' : file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
