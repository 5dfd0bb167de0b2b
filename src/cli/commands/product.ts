import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Image } from '../../domain/image.ts';
import type { Product, Size } from '../../domain/product.ts';
import { ApiError, type ApiClient } from '../api-client.ts';
import { contextOf } from '../context.ts';
import { printJson, printList, printObject, type Column } from '../output.ts';

/**
 * `fleetyard product …`: what cloud users may order. Admins define products; users list and show
 * the enabled ones. A disabled product takes no new requests; running ones are not touched.
 */

const VIRTUALIZATIONS = ['container', 'qemu', 'physical', 'sim'];

const sizeText = (s: Size): string => `${s.name}:${s.cpu}:${s.memoryMiB}:${s.diskMiB}`;

const columns = (images: ReadonlyMap<string, string>): Column<Product>[] => [
  { header: 'ID', value: (p) => p.id },
  { header: 'NAME', value: (p) => p.name },
  { header: 'IMAGE', value: (p) => images.get(p.spec.imageId) ?? p.spec.imageId },
  { header: 'SIZES (name:cpu:MiB:disk)', value: (p) => p.spec.sizes.map(sizeText).join(' ') },
  { header: 'VIRT', value: (p) => p.spec.virtualizations.join(',') },
  { header: 'HA', value: (p) => (p.spec.haAllowed ? 'yes' : 'no') },
  { header: 'ENABLED', value: (p) => (p.spec.enabled ? 'yes' : 'no') },
];

interface CreateFlags {
  image: string;
  size: Size[];
  virtualization: string[];
  ha?: boolean;
  description?: string;
  disabled?: boolean;
  configGroup?: string[];
}

export function registerProductCommands(program: Command): void {
  const product = program.command('product').description('manage the products cloud users may order');

  product
    .command('create')
    .description('define a product (admin)')
    .argument('<name>', 'name of the new product')
    .requiredOption('--image <image>', 'image ID or name')
    .requiredOption('--size <name:cpu:memMiB:diskMiB>', 'a size on offer, e.g. s:1:512:2048 (repeatable)', size)
    .addOption(
      new Option('--virtualization <type>', 'a virtualization type on offer (repeatable)')
        .choices(VIRTUALIZATIONS)
        .argParser((v: string, all: string[] | undefined) => {
          if (!VIRTUALIZATIONS.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${VIRTUALIZATIONS.join(', ')}.`);
          return [...(all ?? []), v];
        })
        .makeOptionMandatory(),
    )
    .option('--ha', 'users may ask for high availability')
    .option('--description <text>', 'what the product is, for users')
    .option('--disabled', 'create it disabled (not yet orderable)')
    .option('--config-group <name>', 'a configuration group every appliance of it gets, in order (repeatable)', (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .action(async (name: string, opts: CreateFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const imageId = await client.resolveId('images', opts.image);
      const created = await client.post<Product>('/api/v1/products', {
        name,
        imageId,
        sizes: opts.size,
        virtualizations: opts.virtualization,
        haAllowed: opts.ha === true,
        enabled: opts.disabled !== true,
        ...(opts.description ? { description: opts.description } : {}),
        ...(opts.configGroup ? { configGroups: opts.configGroup } : {}),
      });
      await printProducts(client, json, [created], true);
    });

  product
    .command('list')
    .alias('ls')
    .description('list products (users see the enabled ones)')
    .option('--name <name>', 'only the product with this name')
    .action(async (opts: { name?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      await printProducts(client, json, await client.list<Product>('/api/v1/products', { name: opts.name }), false);
    });

  product
    .command('show')
    .description('show one product')
    .argument('<product>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('products', idOrName);
      printObject(json, await client.get<Product>(`/api/v1/products/${id}`));
    });

  for (const [verb, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    product
      .command(verb)
      .description(enabled ? 'let users order a product again (admin)' : 'stop new orders of a product; running requests go on (admin)')
      .argument('<product>', 'ID or name')
      .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
        const { client, json } = contextOf(cmd);
        const id = await client.resolveId('products', idOrName);
        const changed = await client.json<Product>('PATCH', `/api/v1/products/${id}`, { body: { enabled } });
        await printProducts(client, json, [changed], true);
      });
  }
}

/** `--size s:1:512:2048`, collected in order; the server checks the ranges and unique names. */
function size(value: string, all: Size[] | undefined): Size[] {
  const m = /^([^:]+):(\d+):(\d+):(\d+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('must be name:cpu:memMiB:diskMiB, e.g. s:1:512:2048');
  return [...(all ?? []), { name: m[1] as string, cpu: Number(m[2]), memoryMiB: Number(m[3]), diskMiB: Number(m[4]) }];
}

/** Products with their image's name; `single` prints one object, not an array, as JSON. */
async function printProducts(client: ApiClient, json: boolean, products: readonly Product[], single: boolean): Promise<void> {
  if (json) return single ? printJson(products[0]) : printList(true, products, []);
  const images = new Map<string, string>();
  // Users may not list images; they see the image ID instead of its name.
  const listed = await client.list<Image>('/api/v1/images').catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 403) return [] as Image[];
    throw e;
  });
  for (const i of listed) images.set(i.id, i.name);
  printList(false, products, columns(images));
}
