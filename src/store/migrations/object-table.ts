import type { CreateTableBuilder, Kysely } from 'kysely';

/** The core columns every object table has (see ObjectColumns in ../schema.ts). */
export function objectTable<T extends string>(db: Kysely<unknown>, name: T): CreateTableBuilder<T, never> {
  return db.schema
    .createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()) as unknown as CreateTableBuilder<T, never>;
}
