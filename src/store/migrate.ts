import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.ts';
import * as identity from './migrations/002-identity.ts';
import * as cloud from './migrations/003-cloud.ts';
import * as billing from './migrations/004-billing.ts';
import * as mail from './migrations/005-mail.ts';
import * as eventOrder from './migrations/006-event-order.ts';
import * as hostEnrollment from './migrations/007-host-enrollment.ts';
import * as kernelStore from './migrations/008-kernel-store.ts';
import * as accountSafety from './migrations/009-account-safety.ts';
import * as eventOwner from './migrations/010-event-owner.ts';
import * as stacks from './migrations/011-stacks.ts';
import * as applianceChecks from './migrations/012-appliance-checks.ts';
import * as applianceVirtualization from './migrations/014-appliance-virtualization.ts';
import * as ipv6Addresses from './migrations/015-ipv6-addresses.ts';
import * as configGroups from './migrations/017-config-groups.ts';
import type { Dialect } from './open.ts';

/** The one ordered list of migrations; each runs on both dialects. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '001-initial': { up: (db) => initial.up(db, dialect) },
    '002-identity': { up: (db) => identity.up(db) },
    '003-cloud': { up: (db) => cloud.up(db, dialect) },
    '004-billing': { up: (db) => billing.up(db, dialect) },
    '005-mail': { up: (db) => mail.up(db, dialect) },
    '006-event-order': { up: (db) => eventOrder.up(db) },
    '007-host-enrollment': { up: (db) => hostEnrollment.up(db) },
    '008-kernel-store': { up: (db) => kernelStore.up(db, dialect) },
    '009-account-safety': { up: (db) => accountSafety.up(db) },
    '010-event-owner': { up: (db) => eventOwner.up(db) },
    '011-stacks': { up: (db) => stacks.up(db) },
    '012-appliance-checks': { up: (db) => applianceChecks.up(db) },
    '014-appliance-virtualization': { up: (db) => applianceVirtualization.up(db) },
    '015-ipv6-addresses': { up: (db) => ipv6Addresses.up(db) },
    '017-config-groups': { up: (db) => configGroups.up(db) },
  };
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  // Numbers are reserved per line of work, so a lower one can land after a higher one was
  // released (012 after 014): such a migration runs on databases that already have the later ones,
  // which is sound only while each is independent of those after it (new tables, their own columns).
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
