import { sql, type Kysely } from 'kysely';
import { objectTable } from './object-table.ts';

type Dialect = 'sqlite' | 'postgres';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await objectTable(db, 'storages').execute();
  await objectTable(db, 'kernels').execute();
  await objectTable(db, 'networks').execute();
  await objectTable(db, 'resources')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text')
    .execute();
  await objectTable(db, 'images')
    .addColumn('storage_id', 'text', (c) => c.notNull().references('storages.id'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .execute();
  await objectTable(db, 'appliances')
    .addColumn('image_id', 'text', (c) => c.notNull().references('images.id'))
    .addColumn('host_id', 'text')
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('deletion_requested_at', 'text')
    .addColumn('finalizers', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('addresses')
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('appliance_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('addresses_pk', ['network_id', 'address'])
    .addUniqueConstraint('addresses_one_per_appliance', ['network_id', 'appliance_id'])
    .execute();
  await db.schema
    .createTable('events')
    .addColumn('seq', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .execute();
  await db.schema.createIndex('events_unpublished').on('events').columns(['published_at', 'seq']).execute();
  await db.schema.createIndex('events_object').on('events').columns(['object_id', 'seq']).execute();
  await db.schema.createIndex('resources_host').on('resources').column('host_id').execute();
  await db.schema.createIndex('appliances_host').on('appliances').column('host_id').execute();
  await db.schema.createIndex('appliances_image').on('appliances').column('image_id').execute();
  void sql;
}
