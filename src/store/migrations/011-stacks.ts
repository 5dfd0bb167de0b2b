import type { Kysely } from 'kysely';

/**
 * Stacks: a named set of appliances written as one YAML document (`yaml`, always in its canonical
 * form), unique per owner, and the instances it made. Each instance ties one member's unit (its
 * ordinal) to the cloud request or appliance that carries it, so a plan can compare the document
 * with what runs now and an apply or delete touches only what the stack made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('stacks_owner_name', ['owner_id', 'name'])
    .execute();
  await db.schema
    .createTable('stack_instances')
    .addColumn('stack_id', 'text', (c) => c.notNull())
    .addColumn('member', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stack_instances_pk', ['stack_id', 'member', 'ordinal'])
    .execute();
  await db.schema.createIndex('stack_instances_object').on('stack_instances').column('object_id').execute();
}
