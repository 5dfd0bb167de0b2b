import type { Kysely } from 'kysely';
import type { Dialect } from '../open.ts';
import { objectTable } from './object-table.ts';

/** Products, cloud requests, capacity reservations and quotas. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await objectTable(db, 'products').execute();
  await objectTable(db, 'cloud_requests')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloud_requests_owner').on('cloud_requests').column('owner_id').execute();
  await db.schema.createIndex('cloud_requests_state').on('cloud_requests').column('state').execute();
  await db.schema
    .createTable('reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('unit', 'integer', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('cpu', 'integer', (c) => c.notNull())
    .addColumn('memory_mib', 'integer', (c) => c.notNull())
    .addColumn('disk_mib', 'integer', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reservations_one_per_unit', ['request_id', 'unit'])
    .execute();
  await db.schema.createIndex('reservations_host').on('reservations').column('host_id').execute();
  await db.schema
    .createTable('quotas')
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('limits', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('quotas_pk', ['subject_kind', 'subject_id'])
    .execute();
  // One row whose version serialises capacity decisions across control planes (see
  // reconcile/request-approval.ts): approvals bump it, so two racing approvals cannot both pass.
  await db.schema
    .createTable('capacity_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('capacity_epoch' as never).values({ id: 1, version: 0 } as never).execute();
}
