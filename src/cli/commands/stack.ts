import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { nameSchema } from '../../domain/names.ts';
import { parseStack } from '../../domain/stack.ts';
import type { StackApplyResult, StackDeleteResult, StackDetail, StackListItem, StackPlan } from '../../domain/stack-plan.ts';
import type { ApiClient } from '../api-client.ts';
import { usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { DEFAULT_WAIT_TIMEOUT_MS, integer, seconds } from '../option-parsers.ts';
import { age, printJson, printList, printTable } from '../output.ts';
import { waitForAppliance } from '../wait.ts';
import { waitForRequest } from './request-wait.ts';
import { printPlan, printStack } from './stack-view.ts';

/**
 * `fleetyard stack …`: appliances and their links as one YAML document (docs/stacks.md). `plan`
 * says what `apply` would do; `show -o yaml` prints the document as stored, so saving it and
 * planning that file says "no changes". Cloud users' stacks are cloud requests; admins' are
 * appliances.
 */

interface WaitFlags {
  wait?: boolean;
  timeout: number;
}

export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('appliances and their links as one YAML document: plan, apply, show, remove');

  stack
    .command('plan')
    .description('show what applying the document would create, change or remove, its price, and whether it fits')
    .requiredOption('-f, --file <path>', 'the stack document (- for stdin)')
    .action(async (opts: { file: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const plan = await client.post<StackPlan>('/api/v1/stacks/plan', { yaml: readDocument(opts.file) });
      if (json) printJson(plan);
      else printPlan(plan);
    });

  withWait(
    stack
      .command('apply')
      .description('carry out the plan of the document and record it')
      .requiredOption('-f, --file <path>', 'the stack document (- for stdin)')
      .option('--expect-version <n>', 'apply only if the stack is still at this version (0: only a new one)', integer(0, Number.MAX_SAFE_INTEGER)),
  ).action(async (opts: WaitFlags & { file: string; expectVersion?: number }, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const result = await client.post<StackApplyResult>('/api/v1/stacks/apply', { yaml: readDocument(opts.file), ...(opts.expectVersion === undefined ? {} : { version: opts.expectVersion }) });
    if (opts.wait) await waitFor(client, result.done, opts.timeout);
    if (json) return printJson(result);
    process.stderr.write(result.done.length === 0 ? `stack ${result.stack.name}: no changes (version ${result.stack.version})\n` : `stack ${result.stack.name} applied (version ${result.stack.version})\n`);
    printDone(result.done);
  });

  stack
    .command('list')
    .alias('ls')
    .description('list stacks (cloud users see their own)')
    .option('--owner <userId>', "only this user's stacks (admin)")
    .action(async (opts: { owner?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const items = await client.list<StackListItem>('/api/v1/stacks', { ownerId: opts.owner });
      printList(json, items, [
        { header: 'NAME', value: (s) => s.name },
        { header: 'VERSION', value: (s) => s.version },
        { header: 'INSTANCES', value: (s) => s.instances },
        { header: 'OWNER', value: (s) => s.ownerId },
        { header: 'UPDATED', value: (s) => age(s.updatedAt) },
      ]);
    });

  stack
    .command('show')
    .description('show a stack: its instances and their states, or (-o yaml) its document')
    .argument('<name>', 'the stack name')
    .addOption(new Option('-o, --output <format>', 'table, the document as YAML, or JSON').choices(['table', 'yaml', 'json']))
    .option('--owner <userId>', "another user's stack (admin)")
    .action(async (name: string, opts: { output?: string; owner?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const s = await client.get<StackDetail>(`/api/v1/stacks/${encodeURIComponent(name)}`, { ownerId: opts.owner });
      const output = opts.output ?? (json ? 'json' : 'table');
      if (output === 'yaml') process.stdout.write(s.yaml);
      else if (output === 'json') printJson(s);
      else printStack(s);
    });

  withWait(
    stack
      .command('rm')
      .alias('delete')
      .description('end what the stack runs (cancel its requests or delete its appliances), then the stack')
      .argument('[name]', 'the stack name')
      .option('-f, --file <path>', 'the stack named by this document (- for stdin)')
      .option('--owner <userId>', "another user's stack (admin)"),
  ).action(async (nameArg: string | undefined, opts: WaitFlags & { file?: string; owner?: string }, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    if ((nameArg === undefined) === (opts.file === undefined)) throw usageError('name the stack, or give its document with -f (one of them)');
    const name = nameArg ?? nameOf(readDocument(opts.file as string));
    const query = opts.owner ? `?ownerId=${encodeURIComponent(opts.owner)}` : '';
    const result = await client.delete<StackDeleteResult>(`/api/v1/stacks/${encodeURIComponent(name)}${query}`);
    if (opts.wait) await waitFor(client, result.removed.map((r) => ({ ...r, action: 'remove' as const })), opts.timeout);
    if (json) return printJson(result);
    process.stderr.write(`stack ${name} deleted; ${result.removed.length} instance(s) ${opts.wait ? 'ended' : 'ending'}\n`);
    printDone(result.removed.map((r) => ({ ...r, action: 'remove' as const })));
  });
}

function withWait(cmd: Command): Command {
  return cmd
    .option('--wait', 'wait until every instance it touched got there (requests active or ended, appliances running or gone), showing progress on stderr')
    .addOption(
      new Option('--timeout <seconds>', 'give up waiting after this long (exit 6)').argParser(seconds).default(DEFAULT_WAIT_TIMEOUT_MS, String(DEFAULT_WAIT_TIMEOUT_MS / 1000)),
    );
}

/** The document's text from a file, or from stdin for `-`. */
function readDocument(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw usageError(`cannot read ${file === '-' ? 'stdin' : file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The stack a document names, even when it is wrong elsewhere (it is about to be removed). */
function nameOf(text: string): string {
  const parsed = parseStack(text);
  if (parsed.stack) return parsed.stack.metadata.name;
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch {
    raw = undefined;
  }
  const name = nameSchema.safeParse((raw as { metadata?: { name?: unknown } } | null)?.metadata?.name);
  if (!name.success) throw usageError('the document has no metadata.name');
  return name.data;
}

type Touched = Pick<StackApplyResult['done'][number], 'member' | 'ordinal' | 'action' | 'kind' | 'id'>;

function printDone(done: readonly Touched[]): void {
  printTable(done, [
    { header: 'MEMBER', value: (d) => d.member },
    { header: '#', value: (d) => d.ordinal },
    { header: 'ACTION', value: (d) => d.action },
    { header: 'KIND', value: (d) => d.kind },
    { header: 'ID', value: (d) => d.id },
  ]);
}

/** Follows each instance an apply or delete touched until it got where that leads. */
async function waitFor(client: ApiClient, done: readonly Touched[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const d of done) {
    const left = Math.max(1, deadline - Date.now());
    const label = `${d.member} #${d.ordinal}`;
    if (d.kind === 'request') await waitForRequest(client, d.id, d.action === 'remove' ? 'ended' : 'active', left);
    else await waitForAppliance(client, d.id, d.action === 'remove' ? 'gone' : 'running', { timeoutMs: left, label });
  }
}
