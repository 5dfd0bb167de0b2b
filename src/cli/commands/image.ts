import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Image } from '../../domain/image.ts';
import type { ApiClient } from '../api-client.ts';
import { usageError } from '../cli-error.ts';
import { splitCommand } from '../command-words.ts';
import { contextOf } from '../context.ts';
import { age, bytes, printList, printObject, type Column } from '../output.ts';
import { Progress } from '../progress.ts';
import { imageUpload, orRemove, queuedByName } from '../uploads.ts';

/** `fleetyard image …`: import, list, show and remove root-filesystem images. */

const COLUMNS: Column<Image>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'NAME', value: (i) => i.name },
  { header: 'FORMAT', value: (i) => i.spec.format },
  { header: 'STATE', value: (i) => i.status.state },
  { header: 'SIZE', value: (i) => bytes(i.status.sizeBytes) },
  { header: 'AGE', value: (i) => age(i.createdAt) },
];

/**
 * Creates the image (or takes the `queued` one of that name an interrupted import left), then
 * gives it its data: an upload of the local file or directory, or an import from the server's
 * own path. An image this command created is removed again if that fails.
 */
async function importImage(
  client: ApiClient,
  path: string,
  opts: { name: string; command?: string; serverPath?: boolean },
  progress: Progress,
): Promise<Image> {
  const waiting = await queuedByName<Image>(client, 'images', opts.name);
  if (waiting) progress.update(`image ${opts.name} exists and waits for its data: importing into it`);
  const image =
    waiting ?? (await client.post<Image>('/api/v1/images', { name: opts.name, ...(opts.command ? { command: splitCommand(opts.command) } : {}) }));
  return orRemove(client, waiting ? null : `/api/v1/images/${image.id}`, async () => {
    if (opts.serverPath) {
      // The server answers when the import is done; meanwhile its status shows the bytes so far.
      return watchImport(client, image, progress, () =>
        client.json<Image>('POST', `/api/v1/images/${image.id}/import`, { body: { source: path }, timeoutMs: 0 }),
      );
    }
    const upload = await imageUpload(resolve(path), progress, `uploading image ${opts.name}`);
    const ready = await client.send<Image>('PUT', `/api/v1/images/${image.id}/file`, upload);
    await upload.finished;
    return ready;
  });
}

/** Shows the image's `importedBytes` once a second while `work` runs. */
async function watchImport(client: ApiClient, image: Image, progress: Progress, work: () => Promise<Image>): Promise<Image> {
  let asking = false;
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    client
      .get<Image>(`/api/v1/images/${image.id}`)
      .then((cur) => {
        if (cur.status.state !== 'importing') return;
        const of = cur.status.expectedBytes === null ? '' : ` of ${bytes(cur.status.expectedBytes)}`;
        progress.update(`importing image ${image.name}: ${bytes(cur.status.importedBytes)}${of} read`);
      })
      .catch(() => undefined) // only the progress line misses an update; the import goes on
      .finally(() => (asking = false));
  }, 1_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

export function registerImageCommands(program: Command): void {
  const image = program.command('image').description('manage root-filesystem images');

  image
    .command('import')
    .description('import a root filesystem as a master image: a local .tar/.tar.gz file or directory, uploaded')
    .argument('<path>', 'tarball or root-filesystem directory (with --server-path: a path on the server)')
    .requiredOption('--name <name>', 'name of the new image')
    .option('--command <command>', 'default command of appliances using it, e.g. "/bin/sh -c \'sleep 1d\'"')
    .option('--server-path', 'PATH is on the server, inside one of its import directories (--import-dir); nothing is uploaded')
    .action(async (path: string, opts: { name: string; command?: string; serverPath?: boolean }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      if (opts.serverPath && !isAbsolute(path)) throw usageError('with --server-path, PATH must be absolute (it is read on the server)');
      const progress = new Progress(`importing image ${opts.name} from ${opts.serverPath ? `the server's ${path}` : resolve(path)}`);
      try {
        const created = await importImage(client, path, opts, progress);
        progress.done(`imported image ${created.name} (${created.id}, ${bytes(created.status.sizeBytes)})`);
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
