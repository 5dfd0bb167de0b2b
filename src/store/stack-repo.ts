import type { Selectable } from 'kysely';
import { FleetyardError } from '../domain/errors.ts';
import type { StackInstance, StackRecord } from '../domain/stack-plan.ts';
import type { Executor } from './object-repo.ts';
import { decodeCursor, encodeCursor, type Page } from './pagination.ts';
import type { StackInstancesTable, StacksTable } from './schema.ts';
import { isUniqueViolation } from './sql-errors.ts';

export interface StoredStack extends StackRecord {
  yaml: string;
}

const toStack = (r: Selectable<StacksTable>): StoredStack => ({
  id: r.id,
  name: r.name,
  ownerId: r.owner_id,
  yaml: r.yaml,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toInstance = (r: Selectable<StackInstancesTable>): StackInstance => ({
  stackId: r.stack_id,
  member: r.member,
  ordinal: Number(r.ordinal),
  kind: r.kind,
  objectId: r.object_id,
  productId: r.product_id,
  createdAt: r.created_at,
});

/**
 * Stacks and the instances they made (migration 011). A stack's name is unique per owner, so it
 * is always looked up with its owner; every write of a stack checks its `version`.
 */
export class StackRepo {
  constructor(private readonly db: Executor) {}

  async get(ownerId: string, name: string): Promise<StoredStack | undefined> {
    const row = await this.db.selectFrom('stacks').selectAll().where('owner_id', '=', ownerId).where('name', '=', name).executeTakeFirst();
    return row ? toStack(row) : undefined;
  }

  /** Cursor pagination in ID order, optionally narrowed to one owner. */
  async list(opts: { ownerId?: string | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<Page<StoredStack>> {
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    let q = this.db.selectFrom('stacks').selectAll();
    if (opts.ownerId !== undefined) q = q.where('owner_id', '=', opts.ownerId);
    if (opts.cursor) q = q.where('id', '>', decodeCursor(opts.cursor));
    const rows = await q.orderBy('id').limit(limit + 1).execute();
    const items = rows.slice(0, limit).map(toStack);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  async insert(s: StoredStack): Promise<StoredStack> {
    try {
      await this.db
        .insertInto('stacks')
        .values({ id: s.id, owner_id: s.ownerId, name: s.name, yaml: s.yaml, version: s.version, created_at: s.createdAt, updated_at: s.updatedAt })
        .execute();
    } catch (e) {
      // Two applies of a new stack raced; the loser re-reads and finds the winner's.
      if (isUniqueViolation(e)) throw new FleetyardError('FY_VERSION_CONFLICT', `stack ${s.name} was created meanwhile; plan again`, { name: s.name });
      throw e;
    }
    return s;
  }

  /** Writes a new document if the stored version is still `expected`; returns the stack at version + 1. */
  async update(s: StoredStack, yaml: string, now: Date): Promise<StoredStack> {
    const next = { ...s, yaml, version: s.version + 1, updatedAt: now.toISOString() };
    const r = await this.db
      .updateTable('stacks')
      .set({ yaml, version: next.version, updated_at: next.updatedAt })
      .where('id', '=', s.id)
      .where('version', '=', s.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new FleetyardError('FY_VERSION_CONFLICT', `stack ${s.name} was changed meanwhile; plan again`, { name: s.name });
    return next;
  }

  async delete(s: StoredStack): Promise<void> {
    await this.db.deleteFrom('stack_instances').where('stack_id', '=', s.id).execute();
    const r = await this.db.deleteFrom('stacks').where('id', '=', s.id).where('version', '=', s.version).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new FleetyardError('FY_VERSION_CONFLICT', `stack ${s.name} was changed meanwhile`, { name: s.name });
  }

  async instances(stackId: string): Promise<StackInstance[]> {
    const rows = await this.db.selectFrom('stack_instances').selectAll().where('stack_id', '=', stackId).orderBy('member').orderBy('ordinal').execute();
    return rows.map(toInstance);
  }

  async countInstances(stackId: string): Promise<number> {
    const row = await this.db
      .selectFrom('stack_instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stack_id', '=', stackId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Ties an instance to its object, replacing what carried it before. */
  async putInstance(i: StackInstance): Promise<void> {
    await this.removeInstance(i.stackId, i.member, i.ordinal);
    await this.db
      .insertInto('stack_instances')
      .values({ stack_id: i.stackId, member: i.member, ordinal: i.ordinal, kind: i.kind, object_id: i.objectId, product_id: i.productId, created_at: i.createdAt })
      .execute();
  }

  async removeInstance(stackId: string, member: string, ordinal: number): Promise<void> {
    await this.db.deleteFrom('stack_instances').where('stack_id', '=', stackId).where('member', '=', member).where('ordinal', '=', ordinal).execute();
  }
}
