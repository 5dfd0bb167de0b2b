import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { balanceOf } from '../../src/billing/balance.ts';
import { BillingRepo } from '../../src/billing/billing-repo.ts';
import { billingDb } from '../../src/billing/billing-tables.ts';
import { postUsage } from '../../src/billing/posting.ts';
import { verifyLedger } from '../../src/billing/verify-ledger.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import { Store } from '../../src/store/store.ts';
import { createPostgresDatabase } from '../support/engines.ts';
import { aMeter, aUser, HOUR } from './fixture.ts';

/**
 * The server dies (SIGKILL) in the middle of posting debits. Posting again afterwards charges
 * every period exactly once: no period twice, none lost, every debit explained by its usage.
 */
const HOURS = 150;
const RATES = [1_000, 2_500];
const USERS = 2;
const start = new Date('2026-01-01T00:00:00.000Z');
const now = new Date(start.getTime() + HOURS * HOUR);

async function killMidway(url: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'posting-child.ts'), url, now.toISOString()], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`the posting child never got going: ${err.slice(-2000)}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^posting 100$/m.test(out) || out.includes('finished')) {
        clearTimeout(deadline);
        resolve();
      }
    });
  });
  child.kill('SIGKILL');
  await exited;
  assert.ok(!out.includes('finished'), 'the child was killed before it finished');
  return (out.match(/^posting /gm) ?? []).length;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`a crash during debit posting (${engine})`, () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('charges nothing twice and loses nothing when posting runs again', async () => {
      let url: string;
      if (engine === 'postgres') {
        const db = await createPostgresDatabase();
        url = db.url;
        cleanups.push(db.drop);
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'fy-crash-posting-'));
        url = join(dir, 'fleetyard.db');
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      }
      const store = await Store.open(url, uuidV7Ids, new FakeClock(start));
      cleanups.push(() => store.close());
      const users: string[] = [];
      for (let u = 0; u < USERS; u++) {
        const userId = await aUser(store);
        users.push(userId);
        for (const rate of RATES) await aMeter(store, userId, rate, start);
      }

      const started = await killMidway(url);
      const partial = await billingDb(store.db).selectFrom('usage_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.ok(Number(partial.n) > 0 && Number(partial.n) < USERS * RATES.length * HOURS, `killed in the middle (${partial.n} periods posted, ${started} begun)`);

      await postUsage(store, now);
      await postUsage(store, now);
      const records = await billingDb(store.db).selectFrom('usage_records').select(['meter_id', 'period_start']).execute();
      assert.equal(records.length, USERS * RATES.length * HOURS, 'every period posted');
      assert.equal(new Set(records.map((r) => `${r.meter_id}@${r.period_start}`)).size, records.length, 'no period posted twice');
      assert.deepEqual(await verifyLedger(store), [], 'every debit explained by its usage, balances consistent');
      const perUser = -RATES.reduce((a, b) => a + b, 0) * HOURS;
      for (const userId of users) {
        assert.equal(await balanceOf(store, userId), perUser);
        assert.equal(await new BillingRepo(store.db).ledgerSum(userId), perUser);
      }
    });
  });
}
