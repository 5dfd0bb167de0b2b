import type { ColumnType, Kysely } from 'kysely';
import type { Executor } from '../store/object-repo.ts';

/**
 * The billing tables as Kysely sees them (migration 004). Money columns are BIGINT, which
 * node-postgres returns as a string: read them through `Number()`, never use them raw.
 */
type Milli = ColumnType<number | string, number, number>;

export interface PriceListsTable {
  version: number;
  body: string;
  created_at: string;
  created_by: string | null;
}

export interface MetersTable {
  id: string;
  user_id: string;
  request_id: string;
  appliance_id: string | null;
  ccu_per_hour_milli: Milli;
  components: string;
  started_at: string;
  stopped_at: string | null;
  posted_until: string;
}

export interface UsageRecordsTable {
  id: string;
  meter_id: string;
  user_id: string;
  request_id: string;
  period_start: string;
  period_end: string;
  seconds: number;
  amount_milli: Milli;
  components: string;
  idempotency_key: string;
  created_at: string;
}

export type LedgerKind = 'grant' | 'debit' | 'adjustment';

export interface LedgerEntriesTable {
  id: string;
  user_id: string;
  kind: LedgerKind;
  amount_milli: Milli;
  usage_record_id: string | null;
  idempotency_key: string;
  note: string;
  created_at: string;
}

export interface BalancesTable {
  user_id: string;
  balance_milli: Milli;
  updated_at: string;
}

/** How a balance stands against the low threshold: ok, below it, or at or below zero. */
export type AlertLevel = 'ok' | 'low' | 'exhausted';

export interface BillingAlertsTable {
  user_id: string;
  level: AlertLevel;
  changed_at: string;
}

export interface BillingDatabase {
  price_lists: PriceListsTable;
  meters: MetersTable;
  usage_records: UsageRecordsTable;
  ledger_entries: LedgerEntriesTable;
  balances: BalancesTable;
  billing_alerts: BillingAlertsTable;
}

/**
 * The same executor (database or transaction) typed for the billing tables. The store's
 * `Database` type does not list them, so billing keeps its own view of the one connection.
 */
export const billingDb = (db: Executor): Kysely<BillingDatabase> => db as unknown as Kysely<BillingDatabase>;
