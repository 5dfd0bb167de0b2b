import type { FleetyardEvent } from '../domain/event.ts';
import type { NewEvent } from '../domain/event-types.ts';
import type { Executor } from './object-repo.ts';
import type { EventsTable } from './schema.ts';
import type { Selectable } from 'kysely';

export interface EventFilter {
  afterSeq?: number | undefined;
  kind?: string | undefined;
  objectId?: string | undefined;
  type?: string | undefined;
  /** Only the events of this cloud user (a user's own view). */
  ownerId?: string | undefined;
  limit?: number | undefined;
}

/** An event checked against the registry (checkNewEvent), with its owner, id and time fixed. */
export interface PendingEvent {
  e: NewEvent;
  ownerId: string | null;
  id: string;
  at: Date;
}

function decode(row: Selectable<EventsTable>): FleetyardEvent {
  return {
    id: row.id,
    seq: Number(row.seq),
    time: row.time,
    // The log holds only registered types: every one was checked when it was emitted.
    type: row.type as FleetyardEvent['type'],
    kind: row.kind as FleetyardEvent['kind'],
    objectId: row.object_id,
    ownerId: row.owner_id,
    message: row.message,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/**
 * The event log, which is also the outbox: an event is written in the same transaction as the
 * change it records, with `published_at` null; the relay publishes and then marks it.
 */
export class EventRepo {
  constructor(private readonly db: Executor) {}

  /**
   * Writes events with the next seqs from the event counter. Called by the store as the last
   * statement of a transaction: the counter row stays locked until the commit, so every later
   * transaction's seqs are higher and become visible after these (no reader ever skips one).
   */
  async appendAll(events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const row = await this.db
      .updateTable('event_counter')
      .set((eb) => ({ seq: eb('seq', '+', events.length) }))
      .where('id', '=', 1)
      .returning('seq')
      .executeTakeFirstOrThrow();
    const first = Number(row.seq) - events.length + 1;
    await this.db
      .insertInto('events')
      .values(
        events.map(({ e, ownerId, id, at }, i) => ({
          seq: first + i,
          id,
          time: at.toISOString(),
          type: e.type,
          kind: e.kind,
          object_id: e.objectId,
          owner_id: ownerId,
          message: e.message,
          data: JSON.stringify(e.data),
          published_at: null,
        })),
      )
      .execute();
  }

  async list(f: EventFilter = {}): Promise<FleetyardEvent[]> {
    let q = this.db.selectFrom('events').selectAll();
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.objectId) q = q.where('object_id', '=', f.objectId);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    const rows = await q.orderBy('seq').limit(Math.min(Math.max(f.limit ?? 100, 1), 1000)).execute();
    return rows.map(decode);
  }

  /** The newest event of `type` (any of them), or undefined when the log has none. */
  async latest(types: readonly string[]): Promise<FleetyardEvent | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('type', 'in', [...types]).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row && decode(row);
  }

  async unpublished(limit: number): Promise<FleetyardEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('published_at', 'is', null)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(decode);
  }

  async markPublished(seqs: number[], now: Date): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.updateTable('events').set({ published_at: now.toISOString() }).where('seq', 'in', seqs).execute();
  }

  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return Number(row?.m ?? 0);
  }
}
