import type { Command } from 'commander';
import { usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { printJson } from '../output.ts';

/**
 * `fleetyard inventory --ansible` (admin): every appliance as an Ansible dynamic inventory, for
 * your own Ansible (GET /config/ansible/inventory). It takes Ansible's inventory-script flags
 * too, so a two-line wrapper script can serve as `-i`: `--list` (the default) and `--host NAME`
 * (that appliance's variables; Ansible does not ask, as `_meta` holds them all).
 */
export function registerInventoryCommand(program: Command): void {
  program
    .command('inventory')
    .description('print the fleet as an inventory for other tools (admin)')
    .requiredOption('--ansible', 'as an Ansible dynamic inventory (JSON)')
    .option('--list', 'every group and host (what Ansible asks an inventory script; the default)')
    .option('--host <name>', "one appliance's variables")
    .action(async (opts: { ansible: true; list?: boolean; host?: string }, cmd: Command) => {
      const { client } = contextOf(cmd);
      const inventory = await client.get<{ _meta: { hostvars: Record<string, unknown> } }>('/api/v1/config/ansible/inventory');
      if (opts.host === undefined) return printJson(inventory);
      if (opts.list) throw usageError('give --list or --host, not both');
      printJson(inventory._meta.hostvars[opts.host] ?? {});
    });
}
