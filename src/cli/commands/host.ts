import type { Command } from 'commander';
import { duration } from '../option-parsers.ts';
import { contextOf } from '../context.ts';
import { age, printDetails, printJson, printList, type Column } from '../output.ts';
import { registerHostFencingCommands } from './host-fencing.ts';

/**
 * `fleetyard host …`: how machines join as hosts. `join-token create` makes the single-use,
 * expiring token that `fleetyard agent --join-token` enrols with; the server keeps only its
 * hash, so this answer is the one chance to see it.
 */

interface JoinTokenInfo {
  id: string;
  note: string;
  hostId: string | null;
  state: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedByHostId: string | null;
}

const COLUMNS: Column<JoinTokenInfo>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'STATE', value: (t) => t.state },
  { header: 'FOR', value: (t) => (t.hostId ? `host ${t.hostId}` : 'a new host') },
  { header: 'NOTE', value: (t) => t.note || null },
  { header: 'CREATED', value: (t) => age(t.createdAt) },
  { header: 'EXPIRES', value: (t) => t.expiresAt },
  { header: 'USED BY', value: (t) => t.usedByHostId },
];

export function registerHostCommands(program: Command): void {
  const host = program.command('host').description('enrol hosts: the machines whose agents run appliances');
  registerHostFencingCommands(host);
  const joinToken = host.command('join-token').description('single-use tokens with which an agent enrols as a host');

  joinToken
    .command('create')
    .description('create a join token for `fleetyard agent --join-token` (shown once)')
    .option('--ttl <duration>', 'how long it can be used: 30m, 1h, 2d (default 1h, at most 7d)', duration)
    .option('--host <host>', 're-enrol this host (ID or name), replacing its keys, instead of enrolling a new one')
    .option('--note <text>', 'what the token is for')
    .action(async (opts: { ttl?: number; host?: string; note?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const hostId = opts.host ? await client.resolveId('resources', opts.host) : undefined;
      const created = await client.post<JoinTokenInfo & { token: string }>('/api/v1/hosts/join-tokens', {
        ...(opts.ttl === undefined ? {} : { ttlSeconds: opts.ttl }),
        ...(hostId ? { hostId } : {}),
        ...(opts.note ? { note: opts.note } : {}),
      });
      if (json) printJson(created);
      else printDetails({ token: created.token, id: created.id, for: created.hostId ? `host ${created.hostId}` : 'a new host', expiresAt: created.expiresAt });
      process.stderr.write('Store this token now: it will not be shown again. Start the agent with: fleetyard agent --join-token <token>\n');
    });

  joinToken
    .command('list')
    .alias('ls')
    .description('list join tokens, used, expired and revoked ones included')
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const items = await client.list<JoinTokenInfo>('/api/v1/hosts/join-tokens');
      printList(json, items, COLUMNS);
    });

  joinToken
    .command('revoke')
    .description('revoke a join token that was not used yet; it stops working at once')
    .argument('<id>', 'join token ID')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      await client.delete(`/api/v1/hosts/join-tokens/${encodeURIComponent(id)}`);
      if (json) printJson({ id, revoked: true });
      else process.stdout.write(`revoked join token ${id}\n`);
    });
}
