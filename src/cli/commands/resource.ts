import type { Command } from 'commander';
import type { Resource } from '../../domain/resource.ts';
import { addPagingOptions, printPagedList, type PagedListFlags } from '../paged-list.ts';
import { contextOf } from '../context.ts';
import { age, printObject, type Column } from '../output.ts';

/** `fleetyard resource …`: the machines appliances run on (read-only from the CLI for now). */

const COLUMNS: Column<Resource>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'NAME', value: (r) => r.name },
  { header: 'TYPE', value: (r) => r.spec.type },
  /** What runs there: the slot's virtualization, a server's bare metal, or what a host offers. */
  {
    header: 'VIRT',
    value: (r) =>
      r.spec.labels['fleetyard.io/virtualization'] ??
      (r.spec.virtualizations.length > 0 ? `host: ${r.spec.virtualizations.join(',')}` : r.spec.type === 'physical' ? 'physical' : null),
  },
  { header: 'STATE', value: (r) => r.status.state },
  { header: 'POWER', value: (r) => r.status.powerState },
  { header: 'CPU', value: (r) => r.spec.capacity.cpu },
  { header: 'MEMORY', value: (r) => `${r.spec.capacity.memoryMiB} MiB` },
  { header: 'APPLIANCE', value: (r) => r.status.applianceId },
  { header: 'HEARTBEAT', value: (r) => (r.status.lastHeartbeatAt ? age(r.status.lastHeartbeatAt) : null) },
];

export function registerResourceCommands(program: Command): void {
  const resource = program.command('resource').description('inspect resources (physical machines, VMs, container slots)');

  addPagingOptions(
    resource
      .command('list')
      .alias('ls')
      .description('list resources')
      .option('--type <type>', 'only resources of this type (physical, vm, container)')
      .option('--host <id>', 'only the virtual resources of this host')
      .option('--name <name>', 'only the resource with this name'),
  ).action(async (opts: { type?: string; host?: string; name?: string } & PagedListFlags, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    await printPagedList<Resource>(client, json, '/api/v1/resources', { type: opts.type, hostId: opts.host, name: opts.name }, COLUMNS, opts, 'resources');
  });

  resource
    .command('show')
    .description('show one resource')
    .argument('<resource>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('resources', idOrName);
      printObject(json, await client.get<Resource>(`/api/v1/resources/${id}`));
    });
}
