import type { Kysely } from 'kysely';
import { objectTable } from './object-table.ts';

/**
 * Configuration groups (src/domain/config-group.ts): named, versioned units of configuration an
 * admin defines and products and appliances carry by name. An object table like products.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await objectTable(db, 'config_groups').execute();
}
