import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Image } from '../../domain/image.ts';
import { splitCommand } from '../command-words.ts';
import { contextOf } from '../context.ts';
import { age, bytes, printList, printObject, type Column } from '../output.ts';
import { Progress } from '../progress.ts';

/** `fleetyard image …`: import, list, show and remove root-filesystem images. */

const COLUMNS: Column<Image>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'NAME', value: (i) => i.name },
  { header: 'FORMAT', value: (i) => i.spec.format },
  { header: 'STATE', value: (i) => i.status.state },
  { header: 'SIZE', value: (i) => bytes(i.status.sizeBytes) },
  { header: 'AGE', value: (i) => age(i.createdAt) },
];

export function registerImageCommands(program: Command): void {
  const image = program.command('image').description('manage root-filesystem images');

  image
    .command('import')
    .description('import a tarball or directory as a master image (the path is read by the server)')
    .argument('<path>', 'tarball or root-filesystem directory')
    .requiredOption('--name <name>', 'name of the new image')
    .option('--command <command>', 'default command of appliances using it, e.g. "/bin/sh -c \'sleep 1d\'"')
    .action(async (path: string, opts: { name: string; command?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const source = resolve(path);
      const body = { name: opts.name, source, ...(opts.command ? { command: splitCommand(opts.command) } : {}) };
      const progress = new Progress(`importing image ${opts.name} from ${source}`);
      try {
        // Copying a large root filesystem can take minutes; the server answers when it is done.
        const created = await client.post<Image>('/api/v1/images', body, { timeoutMs: 0 });
        progress.done(`imported image ${created.name} (${created.id})`);
        printObject(json, created);
      } finally {
        progress.clear();
      }
    });

  image
    .command('list')
    .alias('ls')
    .description('list images')
    .option('--name <name>', 'only the image with this name')
    .option('--storage <id>', 'only images on this storage')
    .option('--format <format>', 'only images of this format (rootfs-dir, qcow2, raw)')
    .action(async (opts: { name?: string; storage?: string; format?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const items = await client.list<Image>('/api/v1/images', {
        name: opts.name,
        storageId: opts.storage,
        format: opts.format,
      });
      printList(json, items, COLUMNS);
    });

  image
    .command('show')
    .description('show one image')
    .argument('<image>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('images', idOrName);
      printObject(json, await client.get<Image>(`/api/v1/images/${id}`));
    });

  image
    .command('rm')
    .alias('delete')
    .description('delete an image no appliance uses')
    .argument('<image>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('images', idOrName);
      await client.delete(`/api/v1/images/${id}`);
      if (json) process.stdout.write(`${JSON.stringify({ id, deleted: true })}\n`);
      else process.stdout.write(`deleted image ${idOrName}\n`);
    });
}
