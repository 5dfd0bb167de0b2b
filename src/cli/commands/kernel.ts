import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Kernel } from '../../domain/kernel.ts';
import { isId } from '../../domain/ids.ts';
import { ApiError, type ApiClient, type Page } from '../api-client.ts';
import { nameNotFound } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { age, printList, printObject, type Column } from '../output.ts';

/**
 * `fleetyard kernel …`: register, list, show and remove boot kernels (a vmlinuz, an optional
 * initrd and a base command line) for VMs and network-booted machines. The files stay where
 * they are: the paths are the server's, and the server checks that they exist.
 * `scripts/build-test-kernel.sh DIR` makes a set to import.
 */

const COLUMNS: Column<Kernel>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'NAME', value: (k) => k.name },
  { header: 'VMLINUZ', value: (k) => k.spec.vmlinuzPath },
  { header: 'INITRD', value: (k) => k.spec.initrdPath },
  { header: 'CMDLINE', value: (k) => k.spec.cmdline },
  { header: 'AGE', value: (k) => age(k.createdAt) },
];

export function registerKernelCommands(program: Command): void {
  const kernel = program.command('kernel').description('manage boot kernels of VMs and network-booted machines');

  kernel
    .command('import')
    .description('register a kernel (the paths are read by the server)')
    .argument('<vmlinuz>', 'the kernel image')
    .option('--initrd <file>', 'the initial ramdisk')
    .option('--cmdline <string>', 'the base kernel command line (default: console=ttyS0)')
    .requiredOption('--name <name>', 'name of the new kernel')
    .action(async (vmlinuz: string, opts: { initrd?: string; cmdline?: string; name: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const body = {
        name: opts.name,
        vmlinuzPath: resolve(vmlinuz),
        ...(opts.initrd !== undefined ? { initrdPath: resolve(opts.initrd) } : {}),
        ...(opts.cmdline !== undefined ? { cmdline: opts.cmdline } : {}),
      };
      const created = await client.post<Kernel>('/api/v1/kernels', body);
      if (!json) process.stderr.write(`registered kernel ${created.name} (${created.id})\n`);
      printObject(json, created);
    });

  kernel
    .command('list')
    .alias('ls')
    .description('list kernels')
    .option('--name <name>', 'only the kernel with this name')
    .action(async (opts: { name?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      printList(json, await client.list<Kernel>('/api/v1/kernels', { name: opts.name }), COLUMNS);
    });

  kernel
    .command('show')
    .description('show one kernel')
    .argument('<kernel>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await kernelId(client, idOrName);
      printObject(json, await client.get<Kernel>(`/api/v1/kernels/${id}`));
    });

  kernel
    .command('rm')
    .alias('delete')
    .description('delete a kernel no appliance uses')
    .argument('<kernel>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await kernelId(client, idOrName);
      await client.delete(`/api/v1/kernels/${id}`);
      if (json) process.stdout.write(`${JSON.stringify({ id, deleted: true })}\n`);
      else process.stdout.write(`deleted kernel ${idOrName}\n`);
    });
}

/** An id as given if a kernel has it, else the id of the kernel with that name. */
async function kernelId(client: ApiClient, idOrName: string): Promise<string> {
  if (isId(idOrName)) {
    try {
      await client.get(`/api/v1/kernels/${idOrName}`);
      return idOrName;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }
  const page = await client.get<Page<{ id: string }>>('/api/v1/kernels', { name: idOrName, limit: 1 });
  const found = page.items[0];
  if (!found) throw nameNotFound('kernel', idOrName);
  return found.id;
}
