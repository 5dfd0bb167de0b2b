import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './open.ts';

/** Keys a path may hold: they are written into the SQL as literals, so nothing else is allowed. */
const KEY = /^[A-Za-z0-9._/-]{1,100}$/;

/**
 * A field inside a JSON text column (`spec`, `status`) as an SQL expression, for aggregates that
 * would otherwise read and parse every row: SQLite's `json_extract`, PostgreSQL's `#>>`. The path
 * is a list of keys fixed in code (dots and slashes allowed, as in label names). It is a literal,
 * not a parameter, so the same expression in SELECT and GROUP BY is the same SQL, which is what
 * PostgreSQL needs to see that they are one expression.
 */
export function jsonText(dialect: Dialect, column: 'spec' | 'status', path: readonly string[]): RawBuilder<string | null> {
  for (const k of path) if (!KEY.test(k)) throw new Error(`not a JSON key this helper writes: ${k}`);
  if (dialect === 'postgres') return sql<string | null>`(${sql.ref(column)}::jsonb #>> ${sql.lit(`{${path.join(',')}}`)})`;
  return sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$${path.map((k) => `."${k}"`).join('')}`)})`;
}

/** A whole number inside a JSON column (a capacity), as a bigint on PostgreSQL. */
export function jsonInteger(dialect: Dialect, column: 'spec' | 'status', path: readonly string[]): RawBuilder<number | null> {
  if (dialect === 'postgres') return sql<number | null>`(${jsonText(dialect, column, path)})::bigint`;
  return sql<number | null>`cast(${jsonText(dialect, column, path)} as integer)`;
}
