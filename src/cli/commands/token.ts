import type { Command } from 'commander';
import { isId } from '../../domain/ids.ts';
import type { ApiClient } from '../api-client.ts';
import { nameNotFound, usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { age, printDetails, printJson, printList, type Column } from '../output.ts';

/**
 * `fleetyard token …`: the caller's own API tokens. The server keeps only a hash of a token, so
 * `create` is the one chance to see it; `list` shows names and use, never secrets.
 */

export interface TokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer of POST /tokens, the only one that carries the secret. */
export interface CreatedToken {
  id: string;
  name: string;
  token: string;
  createdAt: string;
}

const COLUMNS: Column<TokenInfo>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  { header: 'CREATED', value: (t) => age(t.createdAt) },
  { header: 'LAST USED', value: (t) => (t.lastUsedAt ? age(t.lastUsedAt) : null) },
  { header: 'REVOKED', value: (t) => (t.revokedAt ? age(t.revokedAt) : null) },
];

export const NOT_SHOWN_AGAIN = 'Store this token now: it will not be shown again.';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage your API tokens');

  token
    .command('create')
    .description('create an API token for scripts and the CLI (shown once)')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ci on build-01"')
    .option('--expires-in-days <days>', 'the token stops working after this many days (default: never)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3650) throw usageError('--expires-in-days must be a whole number of days from 1 to 3650');
      return n;
    })
    .action(async (opts: { name: string; expiresInDays?: number }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const created = await client.post<CreatedToken>('/api/v1/tokens', { name: opts.name, ...(opts.expiresInDays ? { expiresInDays: opts.expiresInDays } : {}) });
      if (json) printJson(created);
      else printDetails({ ...created });
      process.stderr.write(`${NOT_SHOWN_AGAIN}\n`);
    });

  token
    .command('list')
    .alias('ls')
    .description('list your API tokens, revoked ones included')
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const { items } = await client.get<{ items: TokenInfo[] }>('/api/v1/tokens');
      printList(json, items, COLUMNS);
    });

  token
    .command('revoke')
    .description('revoke one of your API tokens; it stops working at once')
    .argument('<token>', 'token ID, or the name of a token not yet revoked')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await tokenId(client, idOrName);
      await client.delete(`/api/v1/tokens/${id}`);
      if (json) printJson({ id, revoked: true });
      else process.stdout.write(`revoked token ${idOrName}\n`);
    });
}

/** Tokens have no `?name=` filter; the caller's own list is short, so match in it. */
async function tokenId(client: ApiClient, idOrName: string): Promise<string> {
  if (isId(idOrName)) return idOrName;
  const { items } = await client.get<{ items: TokenInfo[] }>('/api/v1/tokens');
  const live = items.filter((t) => t.name === idOrName && !t.revokedAt);
  if (live.length === 0) throw nameNotFound('token', idOrName);
  if (live.length > 1) throw usageError(`${live.length} tokens are named "${idOrName}": give the ID of the one to revoke`);
  return (live[0] as TokenInfo).id;
}
