import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenedDb {
  db: Kysely<Database>;
  dialect: Dialect;
}

/**
 * Opens the database named by `url`: `postgres://…` for PostgreSQL, anything else is a path to an
 * embedded SQLite file (WAL mode, so readers never wait for the writer).
 */
export function openDatabase(url: string, onQuery: (sql: string) => void = () => undefined): OpenedDb {
  const log = (e: LogEvent): void => {
    if (e.level === 'query') onQuery(e.query.sql);
  };
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection the server ends (restart, failover, an administrator) makes the pool emit
    // 'error'; with no listener that would crash the process. The pool has already dropped the
    // connection and the next query opens a new one, so there is nothing else to do here.
    pool.on('error', () => undefined);
    // The pool listens only while a connection is idle. One that is checked out (a transaction
    // between two of its queries) and ended by the server emits 'error' on the connection itself,
    // which would be an uncaught exception; the transaction's next query fails instead, and the
    // pool drops the connection when it is released.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log }), dialect: 'postgres' };
  }
  mkdirSync(dirname(url), { recursive: true });
  const sqlite = new SQLite(url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log }), dialect: 'sqlite' };
}
