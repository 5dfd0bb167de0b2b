import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { checkAlerts } from '../../src/billing/alerts.ts';
import { balanceOf, rebuildBalances } from '../../src/billing/balance.ts';
import { BillingRepo } from '../../src/billing/billing-repo.ts';
import { BillingService, type PostedBalance } from '../../src/billing/billing-service.ts';
import { grant } from '../../src/billing/grants.ts';
import { closeMeter } from '../../src/billing/meters.ts';
import { postUsage } from '../../src/billing/posting.ts';
import { verifyLedger } from '../../src/billing/verify-ledger.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import { DEFAULT_PRICE_LIST } from '../../src/domain/pricing.ts';
import type { Store } from '../../src/store/store.ts';
import { engines } from '../support/engines.ts';
import { aMeter, aUser, billingStore, HOUR, parseCsv } from './fixture.ts';

/**
 * The promise to users, checked on SQLite and PostgreSQL: the ledger explains every debit, and the
 * balances rebuilt from it are the balances shown; the statement adds up; the forecast and the
 * alerts say the right thing once.
 */

async function balances(store: Store): Promise<Map<string, number>> {
  return new BillingRepo(store.db).balances();
}

for (const engine of engines()) {
  describe(`replay on ${engine.name}`, () => {
    test('after grants and hours of usage, wiping and rebuilding the balances gives the same figures', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const users = [await aUser(store), await aUser(store), await aUser(store)];
      for (const [i, u] of users.entries()) await grant(store, u, 50_000 * (i + 1), 'welcome', `welcome-${u}`);
      const billing = new BillingService(store);
      billing.start();
      t.after(() => billing.stop());
      await billing.idle();
      // Meters of different prices start and stop at odd times across ten hours.
      const m1 = await aMeter(store, users[0] as string, 1234);
      clock.advance(17 * 60_000 + 3_000);
      const m2 = await aMeter(store, users[1] as string, 777);
      const m3 = await aMeter(store, users[2] as string, 5000);
      for (let h = 0; h < 10; h++) {
        clock.advance(HOUR / 2);
        await billing.idle();
        if (h === 3) await store.transaction((tx) => closeMeter(tx, m2.id, clock.now()));
        if (h === 5) await grant(store, users[2] as string, 10_000, 'top-up', `top-up-${h}`);
        clock.advance(HOUR / 2);
        await billing.idle();
      }
      await store.transaction((tx) => closeMeter(tx, m1.id, clock.now()));
      await store.transaction((tx) => closeMeter(tx, m3.id, clock.now()));
      await billing.runNow();
      const shown = await balances(store);
      assert.equal(shown.size, 3);

      await new BillingRepo(store.db).clearBalances();
      assert.equal((await balances(store)).size, 0);
      const rebuilt = await rebuildBalances(store);
      assert.deepEqual(await balances(store), shown);
      assert.ok(rebuilt.every((r) => r.beforeMilli === 0 && r.afterMilli === shown.get(r.userId)));
      // A rebuild of a correct cache changes nothing.
      assert.ok((await rebuildBalances(store)).every((r) => r.beforeMilli === r.afterMilli));
      assert.deepEqual(await verifyLedger(store), []);

      // Each user's balance is the grants less exactly what their meters owe for the time they ran.
      const repo = new BillingRepo(store.db);
      for (const m of [m1, m2, m3]) {
        const meter = await repo.meter(m.id);
        const ran = (Date.parse(meter?.stoppedAt as string) - Date.parse(m.startedAt)) / 1000;
        const usage = await repo.usageRecordsOfMeter(m.id);
        assert.equal(usage.reduce((s, u) => s + u.seconds, 0), ran);
        assert.equal(usage.reduce((s, u) => s + u.amountMilli, 0), Math.floor((m.ccuPerHourMilli * ran) / 3600));
      }
    });

    test('a wrong cached balance is found by the check and put right by the rebuild', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      await grant(store, user, 10_000, 'start', 'k1');
      await aMeter(store, user, 1000);
      clock.advance(3 * HOUR);
      await postUsage(store, clock.now());
      await sql`update balances set balance_milli = 99 where user_id = ${user}`.execute(store.db);
      const problems = await verifyLedger(store);
      assert.deepEqual(problems.map((p) => [p.kind, p.expectedMilli, p.actualMilli]), [['balance-mismatch', 7000, 99]]);
      const rebuilt = await rebuildBalances(store);
      assert.deepEqual(rebuilt, [{ userId: user, beforeMilli: 99, afterMilli: 7000 }]);
      assert.deepEqual(await verifyLedger(store), []);
    });

    test('the check finds a usage record that overlaps, overcharges and has no debit', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const meter = await aMeter(store, user, 1000);
      clock.advance(2 * HOUR);
      await postUsage(store, clock.now());
      await new BillingRepo(store.db).insertUsageIfAbsent({
        id: store.ids.next(),
        meterId: meter.id,
        userId: user,
        requestId: meter.requestId,
        periodStart: new Date(Date.parse(meter.startedAt) + HOUR / 2).toISOString(),
        periodEnd: new Date(Date.parse(meter.startedAt) + HOUR).toISOString(),
        seconds: 1800,
        amountMilli: 999,
        components: meter.components,
        idempotencyKey: 'forged',
        createdAt: clock.now().toISOString(),
      });
      const kinds = (await verifyLedger(store)).map((p) => p.kind).sort();
      assert.deepEqual(kinds, ['coverage', 'debit-missing', 'usage-mismatch']);
    });

    test('the statement CSV parses and its rows add up to the change of balance', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const other = await aUser(store);
      await grant(store, user, 20_000, 'credit, "with" a comma and quotes', 'g1');
      await grant(store, other, 5_000, 'not yours', 'g2');
      await aMeter(store, user, 1500);
      await aMeter(store, other, 1000);
      const billing = new BillingService(store);
      for (let h = 0; h < 8; h++) {
        clock.advance(HOUR);
        await billing.runNow();
      }
      await grant(store, user, 1_000, '=cmd|evil', 'g3');
      const from = new Date('2026-01-01T02:30:00Z');
      const to = new Date('2026-01-01T06:30:00Z');
      const repo = new BillingRepo(store.db);
      const rows = parseCsv(await billing.statement(user, { from, to }));
      assert.equal(rows.length, 4);
      const sum = rows.reduce((s, r) => s + Number(r.amount_milli), 0);
      assert.equal(sum, (await repo.ledgerSum(user, to.toISOString())) - (await repo.ledgerSum(user, from.toISOString())));
      assert.equal(Number(rows.at(-1)?.balance_after_milli), await repo.ledgerSum(user, to.toISOString()));
      for (const r of rows) {
        assert.equal(r.kind, 'debit');
        assert.equal(r.seconds, '3600');
        assert.equal(Number(r.amount_ccu) * 1000, Number(r.amount_milli));
        assert.equal(r.ccu_per_hour, '1.5');
        assert.match(r.components ?? '', /^cpu 1 core = 1\.500 CCU\/h$/);
        assert.ok((r.period_end ?? '') > (r.period_start ?? ''));
      }
      const all = parseCsv(await billing.statement(user, { from: null, to: null }));
      assert.equal(all.reduce((s, r) => s + Number(r.amount_milli), 0), await balanceOf(store, user));
      assert.equal(all[0]?.note, 'credit, "with" a comma and quotes');
      assert.equal(all.at(-1)?.note, "'=cmd|evil", 'a formula is escaped');
      assert.ok(all.every((r) => r.entry_id !== undefined && !r.note?.includes('not yours')));
    });

    test('the forecast is right for a simple burn', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const billing = new BillingService(store);
      await grant(store, user, 10_000, 'ten CCU', 'g');
      const idle = await billing.account(user);
      assert.equal(idle.lastsUntil, null, 'nothing burns');
      assert.deepEqual(idle.currency, { code: 'EUR', amount: '0.01' });
      const start = clock.now();
      await aMeter(store, user, 2000);
      const at = (h: number): Date => new Date(start.getTime() + h * HOUR);
      assert.deepEqual((await billing.account(user)).lastsUntil, at(5));
      clock.advance(HOUR / 2);
      const half = await billing.account(user);
      assert.equal(half.unpostedMilli, 1000);
      assert.equal(half.balanceMilli, 10_000);
      assert.deepEqual(half.lastsUntil, at(5), 'unposted usage counts before it is posted');
      clock.advance(HOUR / 2);
      await billing.runNow();
      const posted = await billing.account(user);
      assert.equal(posted.balanceMilli, 8000);
      assert.equal(posted.unpostedMilli, 0);
      assert.equal(posted.burnMilliPerHour, 2000);
      assert.deepEqual(posted.lastsUntil, at(5));
    });

    test('alerts report each crossing once; a grant re-arms them', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const billing = new BillingService(store);
      await billing.setPriceList({ ...DEFAULT_PRICE_LIST, lowBalanceCcu: 5 }, null);
      await grant(store, user, 10_000, 'ten', 'g1');
      await aMeter(store, user, 2000);
      const told: Array<[number, PostedBalance['crossed']]> = [];
      billing.onPosted((bs) => {
        for (const b of bs) if (b.userId === user && b.crossed) told.push([b.balanceMilli, b.crossed]);
      });
      const hour = async (n = 1): Promise<void> => {
        for (let i = 0; i < n; i++) {
          clock.advance(HOUR);
          await billing.runNow();
        }
      };
      await hour(2); // 6 CCU: fine
      assert.deepEqual(told, []);
      await hour(); // 4 CCU: low
      await hour(); // 2 CCU: still low, already told
      assert.deepEqual(told, [[4000, 'low']]);
      await hour(); // 0: exhausted
      await hour(); // -2: still exhausted
      assert.deepEqual(told, [[4000, 'low'], [0, 'exhausted']]);
      assert.deepEqual(await checkAlerts(store, 5000, clock.now()), [], 'a second check tells nothing new');
      await grant(store, user, 12_000, 'top-up', 'g2'); // 10 CCU
      await hour(2); // 8, then 6: fine
      await hour(); // 4: low again, a new crossing
      assert.deepEqual(told, [[4000, 'low'], [0, 'exhausted'], [4000, 'low']]);
    });

    test('a grant is made once per idempotency key, only to a user who exists', async (t) => {
      const { store } = await billingStore(t, engine);
      const user = await aUser(store);
      const first = await grant(store, user, 5000, 'once', 'same-key');
      const second = await grant(store, user, 5000, 'once', 'same-key');
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.entry.id, first.entry.id);
      assert.equal(await balanceOf(store, user), 5000);
      const code = (c: string) => (e: unknown) => e instanceof FleetyardError && e.code === c;
      await assert.rejects(grant(store, user, 6000, 'other', 'same-key'), code('FY_VALIDATION'));
      await assert.rejects(grant(store, store.ids.next(), 5000, 'nobody', 'k2'), code('FY_NOT_FOUND'));
      await assert.rejects(grant(store, user, 0, 'zero', 'k3'), code('FY_VALIDATION'));
    });
  });
}
