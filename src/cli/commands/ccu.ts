import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatCcu } from '../../domain/pricing.ts';
import { operationFailed } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { integer } from '../option-parsers.ts';
import { printDetails, printJson, printList, printTable } from '../output.ts';
import { ccu, when } from './cloud-flags.ts';
import { ENTRY_COLUMNS, readPriceListFile, untilText, type Account, type Entry, type RebuildResult, type StoredPriceList } from './ccu-view.ts';
import { resolveUser, whoAmI } from './principal.ts';

/**
 * `fleetyard ccu …`: credits in Cloud Computing Units. A user sees their own balance, ledger and
 * statement; an admin anyone's (`--user`), and grants credit, sets the price list and rebuilds
 * balances from the ledger. Amounts are shown as the API's exact CCU decimals, never re-rounded.
 */
export function registerCcuCommands(program: Command): void {
  const ccuCmd = program.command('ccu').description('credits: balance, ledger, statement, grants and the price list');

  ccuCmd
    .command('balance')
    .description('balance, burn rate and until when the credits last')
    .option('--user <user>', "whose balance (admin); yours by default")
    .action(async (opts: { user?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const userId = opts.user ? await resolveUser(client, opts.user) : undefined;
      const a = await client.get<Account>('/api/v1/ccu/balance', { userId });
      if (json) return printJson(a);
      printDetails({
        user: opts.user ?? (await whoAmI(client)).name,
        balance: `${a.balanceCcu} CCU (${a.amount} ${a.currency})`,
        unposted: `${formatCcu(a.unpostedMilli)} CCU (debited at the next posting)`,
        burn: `${a.burnCcuPerHour} CCU/h`,
        'credits last until': untilText(a.lastsUntil),
        'price list': `version ${a.priceListVersion}`,
      });
    });

  ccuCmd
    .command('ledger')
    .description('ledger entries, newest first; each debit with the usage that explains it')
    .option('--user <user>', 'whose ledger (admin); yours by default')
    .option('--limit <n>', 'at most this many entries', integer(1, 1_000_000))
    .action(async (opts: { user?: string; limit?: number }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const userId = opts.user ? await resolveUser(client, opts.user) : undefined;
      const items = await client.list<Entry>('/api/v1/ccu/ledger', { userId }, opts.limit);
      printList(json, items, ENTRY_COLUMNS);
    });

  ccuCmd
    .command('statement')
    .description('statement as CSV: the entries created in [from, to), with their usage')
    .option('--from <time>', 'first instant: ISO time or relative (-30d)', (v: string) => when(v))
    .option('--to <time>', 'end (exclusive): ISO time or relative', (v: string) => when(v))
    .option('--user <user>', 'whose statement (admin); yours by default')
    .option('--output <file>', 'write the CSV to this file instead of stdout')
    .action(async (opts: { from?: string; to?: string; user?: string; output?: string }, cmd: Command) => {
      const { client } = contextOf(cmd);
      const userId = opts.user ? await resolveUser(client, opts.user) : undefined;
      const res = await client.open('GET', '/api/v1/ccu/statement.csv', {
        query: { from: opts.from, to: opts.to, userId },
        headers: { accept: 'text/csv' },
      });
      const csv = await res.text();
      if (!opts.output) return void process.stdout.write(csv);
      writeFileSync(opts.output, csv);
      process.stderr.write(`statement written to ${opts.output}\n`);
    });

  ccuCmd
    .command('grant')
    .description('grant credit to a user (admin)')
    .argument('<user>', 'ID or name')
    .argument('<ccu>', 'CCU to grant, up to three decimals', (v: string) => ccu(v))
    .requiredOption('--note <text>', 'why; shown in the ledger and the statement')
    .option('--idempotency-key <key>', 'the same key on a retry grants only once')
    .action(async (user: string, amount: number, opts: { note: string; idempotencyKey?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const userId = await client.resolveId('users', user);
      const body = { userId, ccu: amount, note: opts.note, ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}) };
      const r = await client.post<{ created: boolean; entry: Entry; balanceCcu: string }>('/api/v1/ccu/grants', body);
      if (json) return printJson(r);
      const what = r.created ? `granted ${r.entry.amountCcu} CCU to ${user}` : `already granted with this key: ${r.entry.amountCcu} CCU to ${user}`;
      process.stdout.write(`${what}; balance ${r.balanceCcu} CCU\n`);
    });

  ccuCmd
    .command('price-list')
    .description('show the price list, or set it from a JSON file (admin)')
    .option('--set <file>', 'JSON price list (as printed by `ccu price-list --json`, or its priceList field)')
    .action(async (opts: { set?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const stored = opts.set
        ? await client.json<StoredPriceList>('PUT', '/api/v1/ccu/price-list', { body: readPriceListFile(opts.set) })
        : await client.get<StoredPriceList>('/api/v1/ccu/price-list');
      if (json) return printJson(stored);
      printDetails({ version: stored.version, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy, ...stored.priceList });
    });

  ccuCmd
    .command('rebuild')
    .description('rebuild every balance from the ledger and check the ledger (admin); exit 6 if the check finds problems')
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const r = await client.post<RebuildResult>('/api/v1/ccu/rebuild', {});
      if (json) printJson(r);
      else {
        process.stdout.write(`${r.users.length} balances rebuilt, ${r.changed} corrected\n`);
        const changed = r.users.filter((u) => u.beforeMilli !== u.afterMilli);
        if (changed.length > 0) {
          printTable(changed, [
            { header: 'USER', value: (u) => u.userId },
            { header: 'BEFORE (milli-CCU)', value: (u) => u.beforeMilli },
            { header: 'AFTER (milli-CCU)', value: (u) => u.afterMilli },
          ]);
        }
        if (r.problems.length > 0) {
          printTable(r.problems, [
            { header: 'PROBLEM', value: (p) => p.kind },
            { header: 'USER', value: (p) => p.userId },
            { header: 'ID', value: (p) => p.id },
            { header: 'MESSAGE', value: (p) => p.message },
          ]);
        }
      }
      // A ledger that does not add up needs a person: make it visible to cron and scripts.
      if (r.problems.length > 0) throw operationFailed(`the ledger check found ${r.problems.length} problem(s)`);
    });
}
