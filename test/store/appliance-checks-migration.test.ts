import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { systemClock } from '../../src/domain/clock.ts';
import type { CheckResult } from '../../src/domain/health-check.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import { migrationsFor } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/open.ts';
import { Store } from '../../src/store/store.ts';
import { throwawayDatabaseUrl } from '../support/throwaway-database.ts';

/**
 * Migration 012 (the appliance_checks table) came after 014 was already released, so it must
 * also run on a database that has every other migration, 014 included, and then keep results.
 */
const MIGRATION = '012-appliance-checks';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`migration 012 on ${engine}`, () => {
    test('runs on a database that already has the later migrations, and keeps check results', async (t) => {
      const url = await throwawayDatabaseUrl(t, engine);
      const { db, dialect } = openDatabase(url);
      const others = Object.fromEntries(Object.entries(migrationsFor(dialect)).filter(([name]) => name !== MIGRATION));
      const { error } = await new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => others } }).migrateToLatest();
      assert.equal(error, undefined);
      await db.destroy();
      const store = await Store.open(url, uuidV7Ids, systemClock);
      t.after(() => store.close());
      const result: CheckResult = { check: 'web', state: 'CRITICAL', type: 'SOFT', attempt: 2, maxCheckAttempts: 3, output: 'refused', perfdata: [{ label: 'time', value: 0.5, uom: 's', warn: null, crit: null, min: 0, max: null }], checkedAt: '2026-01-01T00:00:00.000Z' };
      await store.read.checks.put('a1', 'h1', result, '2026-01-01T00:00:00.000Z');
      await store.read.checks.put('a1', 'h1', { ...result, attempt: 3, type: 'HARD' }, '2026-01-01T00:00:01.000Z');
      const rows = await store.read.checks.forAppliance('a1');
      assert.deepEqual(rows.map((r) => [r.check, r.type, r.attempt, r.changedAt, r.perfdata[0]?.value]), [['web', 'HARD', 3, '2026-01-01T00:00:01.000Z', 0.5]]);
      await store.read.checks.remove('a1');
      assert.deepEqual(await store.read.checks.all(), []);
    });
  });
}
