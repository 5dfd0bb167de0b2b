import { Option, type Command } from 'commander';
import type { ApiClient, Page, Query } from './api-client.ts';
import { integer } from './option-parsers.ts';
import { printTable, type Column } from './output.ts';

/** How many rows a list shows unless told (`--limit N`, or `--all`). */
export const DEFAULT_LIST_LIMIT = 500;

export interface PagedListFlags {
  limit?: number;
  all?: boolean;
  chunkSize?: number;
}

/** `--limit N` and `--all` on a list command. */
export function addPagingOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--limit <n>', `at most N rows (default ${DEFAULT_LIST_LIMIT})`).argParser(integer(1, 1_000_000)))
    .addOption(new Option('--all', 'every row, printed page by page as they arrive').conflicts('limit'))
    .addOption(new Option('--chunk-size <n>', 'rows fetched and printed per page (default 500)').argParser(integer(1, 1000)));
}

/**
 * Prints a long list as kubectl does: a default limit with a hint on stderr when there is more,
 * or with `--all` every page, each written as soon as it arrives (a table per page of
 * `pageSize` rows, under one header; JSON as one array streamed item by item), so 25,000 rows
 * start appearing at once and are never held all together.
 */
export async function printPagedList<T>(
  client: ApiClient,
  json: boolean,
  path: string,
  query: Query,
  columns: readonly Column<T>[],
  flags: PagedListFlags,
  what: string,
): Promise<void> {
  const limit = flags.all ? Infinity : (flags.limit ?? DEFAULT_LIST_LIMIT);
  const pageSize = flags.chunkSize ?? (flags.all ? 500 : Math.min(limit, 1000));
  let shown = 0;
  let more = false;
  if (json) process.stdout.write('[');
  for await (const page of client.pages<T>(path, query, pageSize) as AsyncGenerator<Page<T>>) {
    const rows = page.items.slice(0, limit - shown);
    if (json) {
      for (const [i, row] of rows.entries()) process.stdout.write(`${shown + i === 0 ? '\n' : ',\n'}${indent(JSON.stringify(row, null, 2))}`);
    } else if (rows.length > 0 || shown === 0) {
      printTable(rows, columns, { header: shown === 0 });
    }
    shown += rows.length;
    if (shown >= limit) {
      more = page.nextCursor !== null || rows.length < page.items.length;
      break;
    }
  }
  if (json) process.stdout.write(shown === 0 ? ']\n' : '\n]\n');
  if (more) process.stderr.write(`(${shown} ${what} shown; there are more: --limit N for more, --all for every one)\n`);
}

const indent = (s: string) => s.replace(/^/gm, '  ');
