import { Option, type Command } from 'commander';
import type { CloudRequest } from '../../domain/cloud-request.ts';
import { isId } from '../../domain/ids.ts';
import type { Product } from '../../domain/product.ts';
import type { ApiClient } from '../api-client.ts';
import { nameNotFound } from '../cli-error.ts';
import { DEFAULT_LIST_LIMIT, printPagedList, type PagedListFlags } from '../paged-list.ts';
import { contextOf } from '../context.ts';
import { DEFAULT_WAIT_TIMEOUT_MS, integer, seconds } from '../option-parsers.ts';
import { printDetails, printJson, printList, printTable, type Column } from '../output.ts';
import { printExplanation } from './placement-view.ts';
import { when } from './cloud-flags.ts';
import { whoAmI, resolveUser } from './principal.ts';
import { printQuote, type Quote } from './quote-view.ts';
import { waitForRequest, type RequestTarget } from './request-wait.ts';

/**
 * `fleetyard request …`: cloud requests, a product in a size for a time window. `quote` prices an
 * order without submitting it. Every change returns at once (the server answers 201/202 and the
 * request reconciler does the work); `--wait` follows the request until it got where asked.
 */

const columns = (products: ReadonlyMap<string, string>): Column<CloudRequest>[] => [
  { header: 'ID', value: (r) => r.id },
  { header: 'STATE', value: (r) => r.status.state },
  { header: 'PRODUCT', value: (r) => products.get(r.spec.productId) ?? r.spec.productId },
  { header: 'SIZE', value: (r) => r.spec.size },
  { header: 'QTY', value: (r) => r.spec.quantity },
  { header: 'VIRT', value: (r) => r.spec.virtualization },
  { header: 'START', value: (r) => r.spec.startAt },
  { header: 'END', value: (r) => r.spec.endAt },
  { header: 'CCU/H', value: (r) => r.status.ccuPerHour },
];

const VIRTUALIZATIONS = ['container', 'qemu', 'physical', 'sim'];

interface OrderFlags {
  product: string;
  size: string;
  start?: string;
  end: string;
  quantity?: number;
  virtualization?: string;
  ha?: boolean;
}

interface WaitFlags {
  wait?: string | boolean;
  timeout: number;
}

export function registerRequestCommands(program: Command): void {
  const request = program.command('request').alias('req').description('order appliances for a time window (cloud requests)');

  withOrder(request.command('quote').description('price an order and show your quota headroom, without submitting it')).action(
    async (opts: OrderFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const order = await orderBody(client, opts);
      const quote = await client.post<Quote>('/api/v1/cloud/quote', order);
      if (json) printJson(quote);
      else printQuote(quote, { product: opts.product, size: opts.size, quantity: order.quantity ?? 1, startAt: order.startAt, endAt: order.endAt });
    },
  );

  withTimeout(
    withOrder(request.command('create').description('submit a cloud request'))
      .option('--for <user>', 'order for this user (admin)')
      .addOption(new Option('--wait <state>', 'wait until the request is approved or active').choices(['approved', 'active'])),
  ).action(async (opts: OrderFlags & WaitFlags & { for?: string }, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const body = { ...(await orderBody(client, opts)), ...(opts.for ? { ownerId: await resolveUser(client, opts.for) } : {}) };
    const created = await client.post<CloudRequest>('/api/v1/cloud/requests', body);
    process.stderr.write(`submitted request ${created.id}\n`);
    const current = typeof opts.wait === 'string' ? await waitForRequest(client, created.id, opts.wait as RequestTarget, opts.timeout) : created;
    await printRequest(client, json, current);
  });

  request
    .command('list')
    .alias('ls')
    .description('list cloud requests (users see their own)')
    .option('--state <state>', 'only requests in this state')
    .option('--mine', 'only your own requests (what an admin sees of their own)')
    .option('--owner <user>', 'only requests of this user (admin)')
    .option('--limit <n>', `at most N rows (default ${DEFAULT_LIST_LIMIT})`, integer(1, 1_000_000))
    .option('--all', 'every row, printed page by page as they arrive')
    .option('--chunk-size <n>', 'rows fetched and printed per page (default 500)', integer(1, 1000))
    .action(async (opts: { state?: string; mine?: boolean; owner?: string } & PagedListFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const ownerId = opts.mine ? (await whoAmI(client)).userId : opts.owner ? await resolveUser(client, opts.owner) : undefined;
      await printPagedList<CloudRequest>(client, json, '/api/v1/cloud/requests', { state: opts.state, ownerId }, json ? [] : columns(await productNames(client)), opts, 'requests');
    });

  request
    .command('show')
    .description('show one request with the history of its states')
    .argument('<request>', 'ID or name (req-…)')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const r = await client.get<CloudRequest>(`/api/v1/cloud/requests/${await requestId(client, idOrName)}`);
      if (json) return printJson(r);
      const { history, ...status } = r.status;
      printDetails({ id: r.id, name: r.name, createdAt: r.createdAt, spec: r.spec, status });
      if (history.length > 0) {
        process.stdout.write('\n');
        printTable(history, [
          { header: 'AT', value: (h) => h.at },
          { header: 'STATE', value: (h) => h.state },
          { header: 'REASON', value: (h) => h.reason },
        ]);
      }
    });

  request
    .command('explain')
    .description('explain where approving a request would reserve its units now, host by host (admin)')
    .argument('<request>', 'ID or name (req-…)')
    .option('--limit <n>', 'at most N hosts (default 100)', integer(1, 1000))
    .action(async (idOrName: string, opts: { limit?: number }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      await printExplanation(client, json, `/api/v1/cloud/requests/${await requestId(client, idOrName)}/placement`, opts.limit);
    });

  for (const verb of ['approve', 'deny'] as const) {
    request
      .command(verb)
      .description(`${verb} a new request (admin)`)
      .argument('<request>', 'ID or name')
      .option('--comment <text>', 'why; mailed to the user')
      .action(async (idOrName: string, opts: { comment?: string }, cmd: Command) => {
        const { client, json } = contextOf(cmd);
        const id = await requestId(client, idOrName);
        const body = opts.comment ? { comment: opts.comment } : {};
        await printRequest(client, json, await client.post<CloudRequest>(`/api/v1/cloud/requests/${id}/${verb}`, body));
      });
  }

  request
    .command('extend')
    .description('move the end of the window later (capacity and quota are checked for the extension)')
    .argument('<request>', 'ID or name')
    .requiredOption('--end <time>', 'new end: ISO time or relative to now (+2h, +1d)', (v: string) => when(v))
    .action(async (idOrName: string, opts: { end: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await requestId(client, idOrName);
      await printRequest(client, json, await client.post<CloudRequest>(`/api/v1/cloud/requests/${id}/extend`, { endAt: opts.end }));
    });

  for (const [verb, target, what] of [
    ['pause', 'paused', 'pause: release the resources, keep the disks; billing stops'],
    ['resume', 'active', 'resume a paused request'],
    ['cancel', 'ended', 'cancel: de-provision now and end the request'],
  ] as const) {
    withTimeout(
      request
        .command(verb)
        .description(what)
        .argument('<request>', 'ID or name')
        .option('--wait', `wait until the request is ${target}, showing progress on stderr`),
    ).action(async (idOrName: string, opts: WaitFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await requestId(client, idOrName);
      const changed = await client.post<CloudRequest>(`/api/v1/cloud/requests/${id}/${verb}`, {});
      await printRequest(client, json, opts.wait ? await waitForRequest(client, id, target, opts.timeout) : changed);
    });
  }
}

function withOrder(cmd: Command): Command {
  return cmd
    .requiredOption('--product <product>', 'product ID or name')
    .requiredOption('--size <size>', "one of the product's sizes")
    .option('--start <time>', 'start: ISO time or relative to now (+90m, +2h, +1d); default now', (v: string) => when(v))
    .requiredOption('--end <time>', 'end: ISO time or relative to now', (v: string) => when(v))
    .option('--quantity <n>', 'how many appliances', integer(1, 64))
    .addOption(new Option('--virtualization <type>', "default: the product's first").choices(VIRTUALIZATIONS))
    .option('--ha', 'ask for high availability');
}

function withTimeout(cmd: Command): Command {
  return cmd.addOption(
    new Option('--timeout <seconds>', 'give up waiting after this long (exit 6)')
      .argParser(seconds)
      .default(DEFAULT_WAIT_TIMEOUT_MS, String(DEFAULT_WAIT_TIMEOUT_MS / 1000)),
  );
}

async function orderBody(client: ApiClient, o: OrderFlags) {
  return {
    productId: await client.resolveId('products', o.product),
    size: o.size,
    startAt: o.start ?? new Date().toISOString(),
    endAt: o.end,
    ...(o.quantity !== undefined ? { quantity: o.quantity } : {}),
    ...(o.virtualization ? { virtualization: o.virtualization } : {}),
    ...(o.ha ? { ha: true } : {}),
  };
}

/** Requests are named `req-…` by the server; the list has no name filter, so match in it. */
async function requestId(client: ApiClient, idOrName: string): Promise<string> {
  if (isId(idOrName)) return idOrName;
  const found = (await client.list<CloudRequest>('/api/v1/cloud/requests')).find((r) => r.name === idOrName);
  if (!found) throw nameNotFound('request', idOrName);
  return found.id;
}

async function productNames(client: ApiClient): Promise<Map<string, string>> {
  return new Map((await client.list<Product>('/api/v1/products')).map((p) => [p.id, p.name]));
}

async function printRequest(client: ApiClient, json: boolean, r: CloudRequest): Promise<void> {
  if (json) printJson(r);
  else printList(false, [r], columns(await productNames(client)));
}
