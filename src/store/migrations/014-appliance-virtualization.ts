import type { Kysely } from 'kysely';

/**
 * What the admin console's lists and dashboard ask of thousands of rows, answered by columns and
 * indexes instead of by reading every row's JSON:
 * - `appliances.virtualization`: where the appliance runs or last ran (`status.virtualization`),
 *   or else the type it asks for (null while it takes `any` and has never been placed), so a
 *   list filters on it; backfilled here by the same rule the appliance codec writes it by;
 * - an index on `appliances (phase, id)` and `(virtualization, id)`: a filtered page reads in id
 *   order and the counts by phase read the index only;
 * - an index on `usage_records (period_start)`: the CCU debited per hour over the last day reads
 *   only that day's records, however long the ledger has grown.
 *
 * Rows are rewritten in JavaScript (spec and status are JSON text on both engines), a page at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('appliances').addColumn('virtualization', 'text').execute();
  const d = db as unknown as Kysely<{ appliances: ApplianceRow }>;
  let after = '';
  for (;;) {
    const rows = await d.selectFrom('appliances').select(['id', 'spec', 'status']).where('id', '>', after).orderBy('id').limit(500).execute();
    for (const row of rows) {
      const status = JSON.parse(row.status) as { virtualization?: string | null };
      const spec = JSON.parse(row.spec) as { requirements?: { virtualization?: string } };
      const wanted = spec.requirements?.virtualization;
      const virtualization = status.virtualization ?? (wanted && wanted !== 'any' ? wanted : null);
      if (virtualization) await d.updateTable('appliances').set({ virtualization }).where('id', '=', row.id).execute();
    }
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;
  }
  await db.schema.createIndex('appliances_phase').on('appliances').columns(['phase', 'id']).execute();
  await db.schema.createIndex('appliances_virtualization').on('appliances').columns(['virtualization', 'id']).execute();
  await db.schema.createIndex('usage_records_period').on('usage_records').column('period_start').execute();
}

interface ApplianceRow {
  id: string;
  spec: string;
  status: string;
  virtualization: string | null;
}
