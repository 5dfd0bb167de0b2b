import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/store/open.ts';
import { throwawayDatabaseUrl } from '../support/throwaway-database.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL ends a connection while a transaction holds it between two queries (a restart, an
 * administrator): the transaction fails, the process does not. Before, the connection's 'error'
 * had no listener while checked out, so it became an uncaught exception and ended the control
 * plane.
 */
test('a connection ended by the server in the middle of a transaction fails the transaction, not the process', async (t) => {
  const url = await throwawayDatabaseUrl(t, 'postgres');
  const { db } = openDatabase(url);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // Closed in the test itself: the database's drop (an after hook) ends whatever is still connected.
  try {
    // An uncaught exception fails this test by itself (the test runner reports it as such).
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
        // The server's notice that it ended the connection arrives while no query is running.
        await sleep(300);
        await sql`select 1`.execute(trx);
        return 'committed';
      })
      .catch((e: unknown) => e);
    assert.ok(outcome instanceof Error, `the transaction fails: ${String(outcome)}`);
    // The pool opens a new connection for what follows.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
    assert.equal(rows[0]?.one, 1);
  } finally {
    await Promise.all([admin.end(), db.destroy()]);
  }
});
