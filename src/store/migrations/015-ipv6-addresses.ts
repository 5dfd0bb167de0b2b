import type { Kysely } from 'kysely';

/**
 * IPv6 addresses held by appliances, beside the IPv4 ones in `addresses`: a table of its own
 * because an appliance holds one address of each family on a network, and `addresses` allows
 * one per (network, appliance). The same keys make a double allocation impossible here too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('addresses6')
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('appliance_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('addresses6_pk', ['network_id', 'address'])
    .addUniqueConstraint('addresses6_one_per_appliance', ['network_id', 'appliance_id'])
    .execute();
}
