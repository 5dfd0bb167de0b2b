import type { Kysely, Transaction } from 'kysely';
import { FleetyardError, notFound } from '../domain/errors.ts';
import type { Meta } from '../domain/meta.ts';
import type { Database, ObjectColumns, ObjectTableName } from './schema.ts';
import { decodeCursor, encodeCursor, type Page } from './pagination.ts';
import { isUniqueViolation } from './sql-errors.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

/** A stored object: meta plus JSON spec and status. */
export interface StoredObject extends Meta {
  spec: unknown;
  status: unknown;
}

/**
 * How one kind maps to its table: which columns beside the core ones it keeps (copied from spec or
 * status so lists can filter on them) and how to read them back.
 */
export interface TableCodec<T extends StoredObject> {
  table: ObjectTableName;
  kind: string;
  /** Columns beyond the core ones, derived from the object. */
  extraColumns(obj: T): Record<string, string | number | null>;
  /** Builds the object from the core fields and the row's extra columns. */
  fromRow(core: StoredObject, row: Record<string, unknown>): T;
  /** Filters a list accepts: filter name -> column. */
  filters: Record<string, string>;
  /**
   * Filters whose value names a set of conditions rather than a column's value (a resource's
   * `role`: a host is a physical resource no other host boots): filter -> value -> conditions.
   */
  choices?: Record<string, Record<string, readonly ColumnCondition[]>>;
}

/** One condition on one column: equality, (not) null, or one of several values. */
export type ColumnCondition =
  | readonly [column: string, op: '=', value: string]
  | readonly [column: string, op: 'is' | 'is not', value: null]
  | readonly [column: string, op: 'in', value: readonly string[]];

export interface ListOptions {
  cursor?: string | undefined;
  limit?: number | undefined;
  filters?: Record<string, string | undefined> | undefined;
}

/**
 * Reads and writes one kind. Every write checks the optimistic `version`; a stale writer gets
 * FY_VERSION_CONFLICT and must re-read. IDs and timestamps come from the caller, never from here.
 */
export class ObjectRepo<T extends StoredObject> {
  constructor(
    private readonly db: Executor,
    private readonly codec: TableCodec<T>,
  ) {}

  private decode(row: Record<string, unknown>): T {
    const c = row as unknown as ObjectColumns;
    const core: StoredObject = {
      id: c.id,
      name: c.name,
      version: Number(c.version),
      generation: Number(c.generation),
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      spec: JSON.parse(c.spec),
      status: JSON.parse(c.status),
    };
    return this.codec.fromRow(core, row);
  }

  private encode(obj: T): Record<string, string | number | null> {
    return {
      id: obj.id,
      name: obj.name,
      spec: JSON.stringify(obj.spec),
      status: JSON.stringify(obj.status),
      version: obj.version,
      generation: obj.generation,
      created_at: obj.createdAt,
      updated_at: obj.updatedAt,
      ...this.codec.extraColumns(obj),
    };
  }

  async get(id: string): Promise<T | undefined> {
    const row = await this.db.selectFrom(this.codec.table).selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.decode(row as Record<string, unknown>) : undefined;
  }

  async require(id: string): Promise<T> {
    const found = await this.get(id);
    if (!found) throw notFound(this.codec.kind, id);
    return found;
  }

  async getByName(name: string): Promise<T | undefined> {
    const row = await this.db.selectFrom(this.codec.table).selectAll().where('name', '=', name).executeTakeFirst();
    return row ? this.decode(row as Record<string, unknown>) : undefined;
  }

  /** Cursor pagination in ID order (IDs are UUIDv7, so this is also creation order). */
  async list(opts: ListOptions = {}): Promise<Page<T>> {
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    let q = this.db.selectFrom(this.codec.table).selectAll();
    for (const [key, value] of Object.entries(opts.filters ?? {})) {
      if (value === undefined) continue;
      const column = this.codec.filters[key];
      const choice = this.codec.choices?.[key];
      if (column) {
        q = q.where(column as 'id', '=', value);
      } else if (choice) {
        const conditions = Object.hasOwn(choice, value) ? choice[value] : undefined;
        if (!conditions) throw new FleetyardError('FY_VALIDATION', `${key} must be one of ${Object.keys(choice).join(', ')}`, { field: key });
        for (const [col, op, v] of conditions) q = q.where(col as 'id', op, v as never);
      } else {
        throw new FleetyardError('FY_VALIDATION', `unknown filter ${key}`);
      }
    }
    if (opts.cursor) q = q.where('id', '>', decodeCursor(opts.cursor));
    const rows = await q.orderBy('id').limit(limit + 1).execute();
    const items = rows.slice(0, limit).map((r) => this.decode(r as Record<string, unknown>));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  /** Every object matching the filters; for reconcilers and the scheduler, not for the API. */
  async all(filters: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.list({ cursor, limit: 1000, filters });
      out.push(...page.items);
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
  }

  async insert(obj: T): Promise<T> {
    try {
      await this.db.insertInto(this.codec.table).values(this.encode(obj) as never).execute();
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new FleetyardError('FY_NAME_TAKEN', `${this.codec.kind} name "${obj.name}" is already in use`, {
          name: obj.name,
        });
      }
      throw e;
    }
    return obj;
  }

  /**
   * Writes `next` if the stored version is still `next.version`; stores it with version + 1.
   * `specChanged` bumps the generation so the reconciler knows there is new desired state.
   */
  async update(next: T, now: Date, specChanged = false): Promise<T> {
    const written: T = {
      ...next,
      version: next.version + 1,
      generation: specChanged ? next.generation + 1 : next.generation,
      updatedAt: now.toISOString(),
    };
    const { id: _id, ...values } = this.encode(written);
    let result;
    try {
      result = await this.db
        .updateTable(this.codec.table)
        .set(values as never)
        .where('id', '=', next.id)
        .where('version', '=', next.version)
        .executeTakeFirst();
    } catch (e) {
      if (isUniqueViolation(e)) throw new FleetyardError('FY_NAME_TAKEN', `name "${next.name}" is already in use`);
      throw e;
    }
    if (Number(result.numUpdatedRows) !== 1) {
      const exists = await this.get(next.id);
      if (!exists) throw notFound(this.codec.kind, next.id);
      throw new FleetyardError('FY_VERSION_CONFLICT', undefined, { id: next.id, expected: next.version, actual: exists.version });
    }
    return written;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom(this.codec.table).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** How many objects matching `filters` have each value of the `by` filter's column (one query). */
  async countBy(by: string, filters: Record<string, string> = {}): Promise<Map<string, number>> {
    const group = this.codec.filters[by];
    if (!group) throw new Error(`unknown filter ${by}`);
    let q = this.db.selectFrom(this.codec.table).select((eb) => [eb.ref(group as 'id').as('value'), eb.fn.countAll<number>().as('n')]);
    for (const [key, value] of Object.entries(filters)) {
      const column = this.codec.filters[key];
      if (!column) throw new Error(`unknown filter ${key}`);
      q = q.where(column as 'id', '=', value);
    }
    const rows = await q.groupBy(group as 'id').execute();
    return new Map(rows.map((r) => [String(r.value), Number(r.n)]));
  }

  async count(filters: Record<string, string> = {}): Promise<number> {
    let q = this.db.selectFrom(this.codec.table).select((eb) => eb.fn.countAll<number>().as('n'));
    for (const [key, value] of Object.entries(filters)) {
      const column = this.codec.filters[key];
      if (!column) throw new Error(`unknown filter ${key}`);
      q = q.where(column as 'id', '=', value);
    }
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
