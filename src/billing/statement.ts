import { stringify } from 'csv-stringify/sync';
import { formatCcu, MILLI_PER_CCU, type PriceComponent } from '../domain/pricing.ts';
import type { Store } from '../store/store.ts';
import { BillingRepo } from './billing-repo.ts';

/**
 * A user's statement as CSV: one row per ledger entry created in [from, to), oldest first, each
 * debit with the usage that explains it (period, seconds, price and its components). Amounts are
 * given exactly in milli-CCU and, for people, in CCU; `balance_after_milli` runs from the balance
 * at `from`, so the rows add up to the change of balance over the statement's span. Cells that a
 * spreadsheet would run as a formula are escaped.
 */
export const STATEMENT_COLUMNS = [
  'entry_id',
  'created_at',
  'kind',
  'amount_ccu',
  'amount_milli',
  'balance_after_milli',
  'note',
  'request_id',
  'period_start',
  'period_end',
  'seconds',
  'ccu_per_hour',
  'components',
] as const;

export interface StatementSpan {
  from: Date | null;
  to: Date | null;
}

const describe = (components: PriceComponent[]): string =>
  components.map((c) => `${c.component} ${c.quantity} ${c.unit} = ${formatCcu(c.ccuPerHourMilli)} CCU/h`).join('; ');

export async function statementCsv(store: Store, userId: string, span: StatementSpan): Promise<string> {
  const repo = new BillingRepo(store.db);
  const from = span.from?.toISOString() ?? null;
  const to = span.to?.toISOString() ?? null;
  let balance = from === null ? 0 : await repo.ledgerSum(userId, from);
  const rows = (await repo.entriesBetween(userId, from, to)).map((e) => {
    balance += e.amountMilli;
    const u = e.usage;
    const rate = u ? u.components.reduce((s, c) => s + c.ccuPerHourMilli, 0) : null;
    return [
      e.id,
      e.createdAt,
      e.kind,
      e.amountMilli / MILLI_PER_CCU,
      e.amountMilli,
      balance,
      e.note,
      u?.requestId ?? '',
      u?.periodStart ?? '',
      u?.periodEnd ?? '',
      u?.seconds ?? '',
      rate === null ? '' : rate / MILLI_PER_CCU,
      u ? describe(u.components) : '',
    ];
  });
  return stringify(rows, { header: true, columns: [...STATEMENT_COLUMNS], escape_formulas: true });
}
