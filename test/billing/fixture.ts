import type { TestContext } from 'node:test';
import { openMeter } from '../../src/billing/meters.ts';
import type { Meter } from '../../src/billing/billing-repo.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import type { PriceComponent } from '../../src/domain/pricing.ts';
import { IdentityService } from '../../src/identity/identity-service.ts';
import type { Store } from '../../src/store/store.ts';
import type { Engine } from '../support/engines.ts';

/** A store on the engine with a fake clock at a whole hour, cleaned up after the test. */
export async function billingStore(t: TestContext, engine: Engine, start = '2026-01-01T00:00:00.000Z'): Promise<{ store: Store; clock: FakeClock }> {
  const clock = new FakeClock(new Date(start));
  const { store, cleanup } = await engine.openStore({ clock });
  t.after(cleanup);
  return { store, clock };
}

let users = 0;
/** A cloud user (billing checks that grants go to a user that exists). */
export async function aUser(store: Store, role: 'admin' | 'user' = 'user'): Promise<string> {
  const u = await new IdentityService(store).createUser(`billing-user-${process.pid}-${++users}`, {
    email: `u${users}@example.com`,
    role,
    groupId: null,
    sshPublicKey: null,
    disabled: false,
  }, null);
  return u.id;
}

/** A meter at a flat price (one component), opened now on the store's clock. */
export async function aMeter(store: Store, userId: string, ccuPerHourMilli: number, at: Date = store.clock.now()): Promise<Meter> {
  const components: PriceComponent[] = [{ component: 'cpu', unit: 'core', quantity: 1, ccuPerHourMilli }];
  return store.transaction((tx) =>
    openMeter(tx, { id: store.ids.next(), userId, requestId: uuidV7Ids.next(), applianceId: null, priced: { ccuPerHourMilli, components }, startedAt: at }),
  );
}

export const HOUR = 3_600_000;

/** A small RFC 4180 reader, so the statement is checked by parsing it rather than by matching text. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
