import type { Kysely } from 'kysely';
import type { Dialect } from '../open.ts';

/** Placeholder: filled in by the change that adds these tables. */
export async function up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {}
