import type { Kysely } from 'kysely';

/**
 * The latest result of each health check of each appliance, as the agent of its host reported
 * it (src/domain/health-check.ts). A table of its own rather than a field of the appliance's
 * status: results arrive on the checks' own schedule and must not race the appliance
 * reconciler's versioned status writes (the reconciler stays the only writer of status).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('appliance_checks')
    .addColumn('appliance_id', 'text', (c) => c.notNull())
    .addColumn('check_name', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_type', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('max_check_attempts', 'integer', (c) => c.notNull())
    .addColumn('output', 'text', (c) => c.notNull())
    .addColumn('perfdata', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('appliance_checks_pk', ['appliance_id', 'check_name'])
    .execute();
}
