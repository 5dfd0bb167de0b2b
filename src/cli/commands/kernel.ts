import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Kernel } from '../../domain/kernel.ts';
import { isId } from '../../domain/ids.ts';
import { ApiError, type ApiClient, type Page } from '../api-client.ts';
import { nameNotFound, usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { age, bytes, printList, printObject, type Column } from '../output.ts';
import { Progress } from '../progress.ts';
import { fileUpload, orRemove, queuedByName } from '../uploads.ts';

/**
 * `fleetyard kernel …`: import, list, show and remove boot kernels (a vmlinuz, an optional
 * initrd and a base command line) for VMs and network-booted machines. The files are uploaded
 * into the server's kernel store (or, with --server-path, copied there from one of its import
 * directories); the server checks that each is what it claims to be.
 * `scripts/build-test-kernel.sh DIR` makes a set to import.
 */

const COLUMNS: Column<Kernel>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'NAME', value: (k) => k.name },
  { header: 'STATE', value: (k) => k.status.state },
  { header: 'VMLINUZ', value: (k) => (k.status.vmlinuzBytes === null ? '-' : bytes(k.status.vmlinuzBytes)) },
  { header: 'INITRD', value: (k) => (k.status.initrdBytes === null ? '-' : bytes(k.status.initrdBytes)) },
  { header: 'CMDLINE', value: (k) => k.spec.cmdline },
  { header: 'AGE', value: (k) => age(k.createdAt) },
];

interface KernelImportOptions {
  initrd?: string;
  cmdline?: string;
  name: string;
  serverPath?: boolean;
}

/**
 * Creates the kernel (or takes the `queued` one of that name an interrupted import left) and
 * gives it its files, the initrd before the vmlinuz: a kernel is ready, and may boot, once its
 * vmlinuz is in, so it never boots without the initrd it was meant to have. A kernel this
 * command created is removed again if that fails.
 */
async function importKernel(client: ApiClient, vmlinuz: string, opts: KernelImportOptions, progress: Progress): Promise<Kernel> {
  const waiting = await queuedByName<Kernel>(client, 'kernels', opts.name);
  if (waiting) progress.update(`kernel ${opts.name} exists and waits for its files: importing into it`);
  const kernel = waiting ?? (await client.post<Kernel>('/api/v1/kernels', { name: opts.name, ...(opts.cmdline !== undefined ? { cmdline: opts.cmdline } : {}) }));
  return orRemove(client, waiting ? null : `/api/v1/kernels/${kernel.id}`, async () => {
    if (opts.serverPath) {
      const body = { vmlinuzPath: vmlinuz, ...(opts.initrd !== undefined ? { initrdPath: opts.initrd } : {}) };
      return client.json<Kernel>('POST', `/api/v1/kernels/${kernel.id}/import`, { body, timeoutMs: 0 });
    }
    let latest = kernel;
    const files = [...(opts.initrd !== undefined ? [['initrd', opts.initrd] as const] : []), ['vmlinuz', vmlinuz] as const];
    for (const [file, path] of files) {
      if (latest.spec[file === 'vmlinuz' ? 'vmlinuzPath' : 'initrdPath'] !== null) continue; // stored by the interrupted import
      const upload = await fileUpload(resolve(path), progress, `uploading the ${file} of ${opts.name}`);
      latest = await client.send<Kernel>('PUT', `/api/v1/kernels/${kernel.id}/${file}`, upload);
    }
    return latest;
  });
}

export function registerKernelCommands(program: Command): void {
  const kernel = program.command('kernel').description('manage boot kernels of VMs and network-booted machines');

  kernel
    .command('import')
    .description('import a kernel: the vmlinuz (and initrd) are uploaded into the server\'s kernel store')
    .argument('<vmlinuz>', 'the kernel image, a bzImage (with --server-path: a path on the server)')
    .option('--initrd <file>', 'the initial ramdisk (with --server-path: a path on the server)')
    .option('--cmdline <string>', 'the base kernel command line (default: console=ttyS0)')
    .requiredOption('--name <name>', 'name of the new kernel')
    .option('--server-path', 'the files are on the server, inside one of its import directories (--import-dir); they are copied into the kernel store')
    .action(async (vmlinuz: string, opts: KernelImportOptions, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      if (opts.serverPath && (!isAbsolute(vmlinuz) || (opts.initrd !== undefined && !isAbsolute(opts.initrd)))) {
        throw usageError('with --server-path, the paths must be absolute (they are read on the server)');
      }
      const progress = new Progress(`importing kernel ${opts.name}`);
      try {
        const created = await importKernel(client, vmlinuz, opts, progress);
        progress.done(`imported kernel ${created.name} (${created.id})`);
        printObject(json, created);
      } finally {
        progress.clear();
      }
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
