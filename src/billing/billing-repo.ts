import { sql, type Kysely, type Selectable } from 'kysely';
import { FleetyardError } from '../domain/errors.ts';
import { DEFAULT_PRICE_LIST, priceListSchema, type PriceComponent, type PriceList } from '../domain/pricing.ts';
import type { Executor } from '../store/object-repo.ts';
import { decodeCursor, encodeCursor, type Page } from '../store/pagination.ts';
import { isUniqueViolation } from '../store/sql-errors.ts';
import {
  billingDb,
  type AlertLevel,
  type BillingDatabase,
  type LedgerEntriesTable,
  type LedgerKind,
  type MetersTable,
  type UsageRecordsTable,
} from './billing-tables.ts';

/** One price list version; version 0 is the built-in default, in force until an admin sets one. */
export interface StoredPriceList {
  version: number;
  priceList: PriceList;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A running thing that costs `ccuPerHourMilli`; usage is posted from `startedAt` up to `postedUntil`. */
export interface Meter {
  id: string;
  userId: string;
  requestId: string;
  applianceId: string | null;
  ccuPerHourMilli: number;
  components: PriceComponent[];
  startedAt: string;
  stoppedAt: string | null;
  postedUntil: string;
}

/** What was used in one period of one meter, and what it cost. Never changed once written. */
export interface UsageRecord {
  id: string;
  meterId: string;
  userId: string;
  requestId: string;
  periodStart: string;
  periodEnd: string;
  seconds: number;
  amountMilli: number;
  components: PriceComponent[];
  idempotencyKey: string;
  createdAt: string;
}

/** One movement of a user's credit. Never changed once written; the balance is their sum. */
export interface LedgerEntry {
  id: string;
  userId: string;
  kind: LedgerKind;
  /** Signed: grants are positive, debits negative or zero. */
  amountMilli: number;
  usageRecordId: string | null;
  idempotencyKey: string;
  note: string;
  createdAt: string;
}

/** A ledger entry with the usage that explains it (debits only). */
export interface ExplainedEntry extends LedgerEntry {
  usage: UsageRecord | null;
}

const toMeter = (r: Selectable<MetersTable>): Meter => ({
  id: r.id,
  userId: r.user_id,
  requestId: r.request_id,
  applianceId: r.appliance_id,
  ccuPerHourMilli: Number(r.ccu_per_hour_milli),
  components: JSON.parse(r.components) as PriceComponent[],
  startedAt: r.started_at,
  stoppedAt: r.stopped_at,
  postedUntil: r.posted_until,
});

const toUsage = (r: Selectable<UsageRecordsTable>): UsageRecord => ({
  id: r.id,
  meterId: r.meter_id,
  userId: r.user_id,
  requestId: r.request_id,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  seconds: Number(r.seconds),
  amountMilli: Number(r.amount_milli),
  components: JSON.parse(r.components) as PriceComponent[],
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at,
});

const toEntry = (r: Selectable<LedgerEntriesTable>): LedgerEntry => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  amountMilli: Number(r.amount_milli),
  usageRecordId: r.usage_record_id,
  idempotencyKey: r.idempotency_key,
  note: r.note,
  createdAt: r.created_at,
});

/**
 * The billing tables, bound to one executor: the database, or a transaction
 * (`new BillingRepo(tx.db)`). IDs and times come from the caller. Inserts into the append-only
 * tables are insert-if-absent by idempotency key (`ON CONFLICT DO NOTHING`, which leaves a
 * PostgreSQL transaction usable), and say whether they wrote.
 */
export class BillingRepo {
  private readonly db: Kysely<BillingDatabase>;

  constructor(db: Executor) {
    this.db = billingDb(db);
  }

  // ---- price lists

  async currentPriceList(): Promise<StoredPriceList> {
    const row = await this.db.selectFrom('price_lists').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (!row) return { version: 0, priceList: DEFAULT_PRICE_LIST, updatedAt: null, updatedBy: null };
    return { version: Number(row.version), priceList: priceListSchema.parse(JSON.parse(row.body)), updatedAt: row.created_at, updatedBy: row.created_by };
  }

  /** Stores `version`; a concurrent writer of the same version gets FY_VERSION_CONFLICT. */
  async insertPriceList(version: number, priceList: PriceList, now: Date, by: string | null): Promise<StoredPriceList> {
    const at = now.toISOString();
    try {
      await this.db.insertInto('price_lists').values({ version, body: JSON.stringify(priceList), created_at: at, created_by: by }).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new FleetyardError('FY_VERSION_CONFLICT', 'the price list was changed at the same time; re-read it', { version });
      throw e;
    }
    return { version, priceList, updatedAt: at, updatedBy: by };
  }

  // ---- meters

  async meter(id: string): Promise<Meter | undefined> {
    const row = await this.db.selectFrom('meters').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMeter(row) : undefined;
  }

  async openMeterFor(requestId: string, applianceId: string | null): Promise<Meter | undefined> {
    let q = this.db.selectFrom('meters').selectAll().where('request_id', '=', requestId).where('stopped_at', 'is', null);
    q = applianceId === null ? q.where('appliance_id', 'is', null) : q.where('appliance_id', '=', applianceId);
    const row = await q.executeTakeFirst();
    return row ? toMeter(row) : undefined;
  }

  async insertMeter(m: Meter): Promise<void> {
    await this.db
      .insertInto('meters')
      .values({
        id: m.id,
        user_id: m.userId,
        request_id: m.requestId,
        appliance_id: m.applianceId,
        ccu_per_hour_milli: m.ccuPerHourMilli,
        components: JSON.stringify(m.components),
        started_at: m.startedAt,
        stopped_at: m.stoppedAt,
        posted_until: m.postedUntil,
      })
      .execute();
  }

  /** Sets stopped_at once; a meter already stopped keeps its first stop. */
  async stopMeter(id: string, stoppedAt: string): Promise<void> {
    await this.db.updateTable('meters').set({ stopped_at: stoppedAt }).where('id', '=', id).where('stopped_at', 'is', null).execute();
  }

  /** Moves posted_until forward only, so a stale runner can never move it back. */
  async advanceMeter(id: string, postedUntil: string): Promise<void> {
    await this.db.updateTable('meters').set({ posted_until: postedUntil }).where('id', '=', id).where('posted_until', '<', postedUntil).execute();
  }

  /** Meters that may have usage left to post: open ones, and stopped ones not posted to their stop. */
  async unpostedMeters(userId?: string): Promise<Meter[]> {
    let q = this.db
      .selectFrom('meters')
      .selectAll()
      .where((eb) => eb.or([eb('stopped_at', 'is', null), eb('posted_until', '<', eb.ref('stopped_at'))]));
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return (await q.orderBy('id').execute()).map(toMeter);
  }

  async metersOfRequest(requestId: string): Promise<Meter[]> {
    return (await this.db.selectFrom('meters').selectAll().where('request_id', '=', requestId).orderBy('id').execute()).map(toMeter);
  }

  async allMeters(): Promise<Meter[]> {
    return (await this.db.selectFrom('meters').selectAll().orderBy('id').execute()).map(toMeter);
  }

  // ---- usage records

  /** Inserts the record unless one with its idempotency key exists; returns the stored one. */
  async insertUsageIfAbsent(u: UsageRecord): Promise<{ record: UsageRecord; created: boolean }> {
    const inserted = await this.db
      .insertInto('usage_records')
      .values({
        id: u.id,
        meter_id: u.meterId,
        user_id: u.userId,
        request_id: u.requestId,
        period_start: u.periodStart,
        period_end: u.periodEnd,
        seconds: u.seconds,
        amount_milli: u.amountMilli,
        components: JSON.stringify(u.components),
        idempotency_key: u.idempotencyKey,
        created_at: u.createdAt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { record: u, created: true };
    const row = await this.db.selectFrom('usage_records').selectAll().where('idempotency_key', '=', u.idempotencyKey).executeTakeFirstOrThrow();
    return { record: toUsage(row), created: false };
  }

  async usageRecordsOfMeter(meterId: string): Promise<UsageRecord[]> {
    return (await this.db.selectFrom('usage_records').selectAll().where('meter_id', '=', meterId).orderBy('period_start').execute()).map(toUsage);
  }

  // ---- ledger

  /** Inserts the entry unless one with its idempotency key exists; returns the stored one. */
  async insertEntryIfAbsent(e: LedgerEntry): Promise<{ entry: LedgerEntry; created: boolean }> {
    const inserted = await this.db
      .insertInto('ledger_entries')
      .values({
        id: e.id,
        user_id: e.userId,
        kind: e.kind,
        amount_milli: e.amountMilli,
        usage_record_id: e.usageRecordId,
        idempotency_key: e.idempotencyKey,
        note: e.note,
        created_at: e.createdAt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { entry: e, created: true };
    const row = await this.db.selectFrom('ledger_entries').selectAll().where('idempotency_key', '=', e.idempotencyKey).executeTakeFirstOrThrow();
    return { entry: toEntry(row), created: false };
  }

  /** Newest first, with each debit's usage record. */
  async ledgerPage(userId: string, opts: { cursor?: string | undefined; limit?: number | undefined }): Promise<Page<ExplainedEntry>> {
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    let q = this.db.selectFrom('ledger_entries').selectAll().where('user_id', '=', userId);
    if (opts.cursor) q = q.where('id', '<', decodeCursor(opts.cursor));
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    const items = await this.explain(rows.slice(0, limit).map(toEntry));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  /** A user's entries with created_at in [from, to), oldest first, with their usage records. */
  async entriesBetween(userId: string, from: string | null, to: string | null): Promise<ExplainedEntry[]> {
    let q = this.db.selectFrom('ledger_entries').selectAll().where('user_id', '=', userId);
    if (from !== null) q = q.where('created_at', '>=', from);
    if (to !== null) q = q.where('created_at', '<', to);
    return this.explain((await q.orderBy('created_at').orderBy('id').execute()).map(toEntry));
  }

  /** Sum of a user's entries created before `before` (all of them when null). */
  async ledgerSum(userId: string, before: string | null = null): Promise<number> {
    let q = this.db.selectFrom('ledger_entries').select((eb) => eb.fn.sum<number | string | null>('amount_milli').as('total')).where('user_id', '=', userId);
    if (before !== null) q = q.where('created_at', '<', before);
    const row = await q.executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /**
   * A user's entries created in [from, to), summed per bucket: the first `prefix` characters of
   * `created_at` (an ISO time in UTC, so 13 is the hour and 10 the day). Debits are told apart from
   * grants and adjustments; both engines group on the same text.
   */
  async ledgerBuckets(userId: string, from: string, to: string, prefix: 10 | 13): Promise<Array<{ bucket: string; debitMilli: number; creditMilli: number }>> {
    const bucket = sql<string>`substr(created_at, 1, ${sql.lit(prefix)})`;
    const rows = await this.db
      .selectFrom('ledger_entries')
      .select([
        bucket.as('bucket'),
        sql<number | string>`sum(case when kind = 'debit' then amount_milli else 0 end)`.as('debit'),
        sql<number | string>`sum(case when kind = 'debit' then 0 else amount_milli end)`.as('credit'),
      ])
      .where('user_id', '=', userId)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
    return rows.map((r) => ({ bucket: r.bucket, debitMilli: -Number(r.debit), creditMilli: Number(r.credit) }));
  }

  /** Every user's ledger sum: what `balances` must say. */
  async ledgerSums(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => ['user_id', eb.fn.sum<number | string>('amount_milli').as('total')])
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.total)]));
  }

  /**
   * CCU debited for usage that began in each UTC hour since `since` (an ISO time): one GROUP BY
   * over that span's usage records (indexed by period start) joined to their debits. Keys are
   * the hour as `YYYY-MM-DDTHH`; hours with nothing debited are absent.
   */
  async debitedPerHour(since: string): Promise<Map<string, number>> {
    const hour = sql<string>`substr(${sql.ref('u.period_start')}, 1, 13)`;
    const rows = await this.db
      .selectFrom('ledger_entries as l')
      .innerJoin('usage_records as u', 'u.id', 'l.usage_record_id')
      .select([hour.as('hour'), (eb) => eb.fn.sum<number | string>('l.amount_milli').as('total')])
      .where('l.kind', '=', 'debit')
      .where('u.period_start', '>=', since)
      .groupBy(hour)
      .execute();
    // Debits are negative; what was burnt is their opposite.
    return new Map(rows.map((r) => [r.hour, 0 - Number(r.total)]));
  }

  /** What every open meter together costs per hour, in milli-CCU. */
  async openBurnMilliPerHour(): Promise<number> {
    const row = await this.db
      .selectFrom('meters')
      .select((eb) => eb.fn.sum<number | string | null>('ccu_per_hour_milli').as('total'))
      .where('stopped_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  async debits(): Promise<LedgerEntry[]> {
    return (await this.db.selectFrom('ledger_entries').selectAll().where('kind', '=', 'debit').orderBy('id').execute()).map(toEntry);
  }

  private async explain(entries: LedgerEntry[]): Promise<ExplainedEntry[]> {
    const ids = entries.flatMap((e) => (e.usageRecordId ? [e.usageRecordId] : []));
    const usage = new Map<string, UsageRecord>();
    if (ids.length > 0) {
      for (const r of await this.db.selectFrom('usage_records').selectAll().where('id', 'in', ids).execute()) usage.set(r.id, toUsage(r));
    }
    return entries.map((e) => ({ ...e, usage: e.usageRecordId ? (usage.get(e.usageRecordId) ?? null) : null }));
  }

  // ---- balances (a cache of the ledger)

  async balance(userId: string): Promise<number> {
    const row = await this.db.selectFrom('balances').select('balance_milli').where('user_id', '=', userId).executeTakeFirst();
    return row ? Number(row.balance_milli) : 0;
  }

  async balances(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('balances').select(['user_id', 'balance_milli']).execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.balance_milli)]));
  }

  /** Adds `delta` to the cached balance in the same statement, so concurrent writers add up. */
  async addToBalance(userId: string, delta: number, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.db
      .insertInto('balances')
      .values({ user_id: userId, balance_milli: delta, updated_at: at })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          balance_milli: eb('balances.balance_milli', '+', eb.ref('excluded.balance_milli')),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  // ---- alert levels

  async alertLevels(): Promise<Map<string, AlertLevel>> {
    const rows = await this.db.selectFrom('billing_alerts').select(['user_id', 'level']).execute();
    return new Map(rows.map((r) => [r.user_id, r.level]));
  }

  async alertLevel(userId: string): Promise<AlertLevel | undefined> {
    const row = await this.db.selectFrom('billing_alerts').select('level').where('user_id', '=', userId).executeTakeFirst();
    return row?.level;
  }

  /**
   * Moves a user's told level from `prev` (undefined: no row yet) to `next` if nobody else moved it
   * first; true when this call made the change, so only one caller reports a crossing.
   */
  async setAlertLevel(userId: string, prev: AlertLevel | undefined, next: AlertLevel, now: Date): Promise<boolean> {
    const at = now.toISOString();
    if (prev === undefined) {
      const r = await this.db
        .insertInto('billing_alerts')
        .values({ user_id: userId, level: next, changed_at: at })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .returning('user_id')
        .executeTakeFirst();
      return r !== undefined;
    }
    const r = await this.db.updateTable('billing_alerts').set({ level: next, changed_at: at }).where('user_id', '=', userId).where('level', '=', prev).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async clearBalances(): Promise<void> {
    await this.db.deleteFrom('balances').execute();
  }

  /** Recomputes every balance from the ledger in one statement. */
  async insertBalancesFromLedger(now: Date): Promise<void> {
    const at = now.toISOString();
    await this.db
      .insertInto('balances')
      .columns(['user_id', 'balance_milli', 'updated_at'])
      .expression((eb) =>
        eb
          .selectFrom('ledger_entries')
          .select((s) => ['user_id', s.fn.sum<number>('amount_milli').as('balance_milli'), s.val(at).as('updated_at')])
          .groupBy('user_id'),
      )
      .execute();
  }
}
