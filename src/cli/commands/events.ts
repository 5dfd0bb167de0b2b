import { Option, type Command } from 'commander';
import type { FleetyardEvent } from '../../domain/event.ts';
import { eventKindSchema } from '../../domain/event.ts';
import { EVENT_TYPE_NAMES } from '../../domain/event-types.ts';
import { isId } from '../../domain/ids.ts';
import type { ApiClient, Collection } from '../api-client.ts';
import { contextOf } from '../context.ts';
import { streamEvents } from '../event-stream.ts';
import { integer } from '../option-parsers.ts';
import { printList, type Column } from '../output.ts';

/**
 * `fleetyard events`: the event log. Without --follow it prints what is recorded; with --follow
 * it then keeps streaming (server-sent events) until interrupted, resuming after the last event
 * printed so nothing is shown twice or skipped. --json with --follow prints one JSON object per
 * line (NDJSON) so a consumer can parse each event as it arrives. A cloud user sees their own
 * events; an admin sees all, or one user's with --owner.
 */

const COLUMNS: Column<FleetyardEvent>[] = [
  { header: 'SEQ', value: (e) => e.seq },
  { header: 'TIME', value: (e) => e.time },
  { header: 'KIND', value: (e) => e.kind },
  { header: 'TYPE', value: (e) => e.type },
  { header: 'OBJECT', value: (e) => e.objectId },
  { header: 'MESSAGE', value: (e) => e.message },
];

/** Kinds whose objects can be named on the command line (they have a list route with ?name=). */
const NAMED: Partial<Record<string, Collection>> = { appliance: 'appliances', image: 'images', resource: 'resources' };

interface EventFlags {
  follow?: boolean;
  kind?: string;
  object?: string;
  type?: string;
  owner?: string;
  after?: number;
  limit: number;
}

export function registerEventCommands(program: Command): void {
  program
    .command('events')
    .description('print the event log, optionally following new events')
    .option('-f, --follow', 'keep printing new events until interrupted')
    .addOption(new Option('--kind <kind>', 'only events about this kind of object').choices(eventKindSchema.options))
    .option('--object <object>', 'only events about this object (ID, or name together with --kind)')
    .addOption(new Option('--type <type>', 'only events of this type (docs/events.md)').choices(EVENT_TYPE_NAMES))
    .option('--owner <user>', "only this user's events (ID or name; admins)")
    .option('--after <seq>', 'only events after this sequence number', integer(0, Number.MAX_SAFE_INTEGER))
    .option('--limit <n>', 'print at most N recorded events', integer(1, 1_000_000), 1000)
    .action(async (opts: EventFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const objectId = opts.object ? await objectIdOf(client, opts.object, opts.kind) : undefined;
      const ownerId = opts.owner ? await client.resolveId('users', opts.owner) : undefined;
      const filter = { kind: opts.kind, objectId, type: opts.type, ownerId };
      const recorded = await client.list<FleetyardEvent>(
        '/api/v1/events',
        { ...filter, afterSeq: opts.after },
        opts.limit,
        'afterSeq',
      );
      if (!opts.follow) {
        printList(json, recorded, COLUMNS);
        return;
      }
      for (const e of recorded) printFollowed(json, e);
      // Resume after what was printed. With nothing printed, every matching event so far was
      // listed (none), so resuming after `--after` or 0 shows exactly the events that came since.
      await follow(client, json, filter, recorded.at(-1)?.seq ?? opts.after ?? 0);
    });
}

async function follow(
  client: ApiClient,
  json: boolean,
  filter: { kind?: string; objectId?: string; type?: string; ownerId?: string },
  afterSeq: number,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const events = streamEvents(client, {
      query: filter,
      lastEventId: String(afterSeq),
      signal: stop.signal,
      onReconnect: () => process.stderr.write('event stream interrupted; reconnecting\n'),
    });
    for await (const e of events) printFollowed(json, e);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printFollowed(json: boolean, e: FleetyardEvent): void {
  if (json) process.stdout.write(`${JSON.stringify(e)}\n`);
  else process.stdout.write(`${e.seq}  ${e.time}  ${e.kind}  ${e.type}  ${e.objectId}  ${e.message}\n`);
}

async function objectIdOf(client: ApiClient, object: string, kind: string | undefined): Promise<string> {
  if (isId(object)) return object;
  const collection = kind ? NAMED[kind] : undefined;
  return collection ? client.resolveId(collection, object) : object;
}
