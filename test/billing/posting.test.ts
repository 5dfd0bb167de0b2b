import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { balanceOf } from '../../src/billing/balance.ts';
import { BillingRepo } from '../../src/billing/billing-repo.ts';
import { BillingService, type PostedBalance } from '../../src/billing/billing-service.ts';
import { closeMeter, openMeter } from '../../src/billing/meters.ts';
import { postUsage } from '../../src/billing/posting.ts';
import { verifyLedger } from '../../src/billing/verify-ledger.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { engines } from '../support/engines.ts';
import { aMeter, aUser, billingStore, HOUR } from './fixture.ts';

/** Posting on a fake clock, on SQLite and PostgreSQL: exact seconds, and nothing charged twice. */

async function usageOf(store: Store, meterId: string) {
  return new BillingRepo(store.db).usageRecordsOfMeter(meterId);
}

async function ledgerOf(store: Store, userId: string) {
  return (await new BillingRepo(store.db).ledgerPage(userId, { limit: 1000 })).items;
}

for (const engine of engines()) {
  describe(`posting on ${engine.name}`, () => {
    test('a meter open for 2.5 periods posts 3 usage records whose seconds add up to the open time', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      clock.advance(20 * 60_000); // 00:20, mid-window
      const meter = await aMeter(store, user, 1234);
      clock.advance(2.5 * HOUR); // 02:50
      await store.transaction((tx) => closeMeter(tx, meter.id, clock.now()));
      const run = await postUsage(store, clock.now());
      const usage = await usageOf(store, meter.id);
      assert.equal(run.windows, 3);
      assert.deepEqual(
        usage.map((u) => [u.periodStart.slice(11, 19), u.periodEnd.slice(11, 19), u.seconds]),
        [['00:20:00', '01:00:00', 2400], ['01:00:00', '02:00:00', 3600], ['02:00:00', '02:50:00', 3000]],
      );
      assert.equal(usage.reduce((s, u) => s + u.seconds, 0), 2.5 * 3600);
      // 1.234 CCU/h for 2.5 h = 3.085 CCU, to the milli-CCU, split across the three windows.
      assert.equal(usage.reduce((s, u) => s + u.amountMilli, 0), 3085);
      assert.equal(await balanceOf(store, user), -3085);
      const debits = await ledgerOf(store, user);
      assert.equal(debits.length, 3);
      for (const d of debits) assert.equal(d.amountMilli, -(d.usage?.amountMilli ?? NaN));
      assert.deepEqual(await verifyLedger(store), []);
    });

    test('the current window is posted only once it has ended; a stopped meter\'s last part at the next run', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const meter = await aMeter(store, user, 3600);
      clock.advance(HOUR - 1000);
      assert.equal((await postUsage(store, clock.now())).windows, 0);
      clock.advance(1000);
      assert.equal((await postUsage(store, clock.now())).windows, 1);
      clock.advance(HOUR / 4);
      await store.transaction((tx) => closeMeter(tx, meter.id, clock.now()));
      assert.equal((await usageOf(store, meter.id)).length, 1, 'closing posts nothing by itself');
      assert.equal((await postUsage(store, clock.now())).windows, 1);
      assert.deepEqual((await usageOf(store, meter.id)).map((u) => u.seconds), [3600, 900]);
      assert.equal(await balanceOf(store, user), -4500);
      clock.advance(5 * HOUR);
      assert.equal((await postUsage(store, clock.now())).windows, 0, 'a stopped meter is done');
    });

    test('posting twice posts nothing new', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      await aMeter(store, user, 1000);
      clock.advance(3 * HOUR);
      assert.equal((await postUsage(store, clock.now())).windows, 3);
      const before = await ledgerOf(store, user);
      const again = await postUsage(store, clock.now());
      assert.equal(again.windows, 0);
      assert.deepEqual(await ledgerOf(store, user), before);
      assert.equal(await balanceOf(store, user), -3000);
    });

    test('a crash in the middle of a run, then a re-run, charges nothing twice', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const users = [await aUser(store), await aUser(store)];
      const meters = [await aMeter(store, users[0] as string, 1000), await aMeter(store, users[1] as string, 2000)];
      clock.advance(5 * HOUR);
      // Throws inside the transaction of the 4th period, after its writes, before its commit.
      const crash = new Error('simulated crash');
      await assert.rejects(
        postUsage(store, clock.now(), { beforeCommit: (_w, index) => { if (index === 3) throw crash; } }),
        (e) => e === crash,
      );
      assert.equal((await usageOf(store, meters[0]?.id as string)).length, 3, 'the first three periods were committed, the fourth rolled back');
      assert.equal(await balanceOf(store, users[0] as string), -3000);
      const rerun = await postUsage(store, clock.now());
      assert.equal(rerun.windows, 7);
      for (const [i, m] of meters.entries()) {
        const usage = await usageOf(store, m.id);
        assert.equal(usage.length, 5);
        assert.equal(usage.reduce((s, u) => s + u.seconds, 0), 5 * 3600);
        assert.equal(await balanceOf(store, users[i] as string), -5 * m.ccuPerHourMilli);
      }
      assert.deepEqual(await verifyLedger(store), []);
    });

    test('a runner with a stale view of the meter finds every period already posted', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const meter = await aMeter(store, user, 1500);
      clock.advance(4 * HOUR);
      await postUsage(store, clock.now());
      // As if a second control plane had read the meter before the first one's commits.
      await sql`update meters set posted_until = ${meter.startedAt} where id = ${meter.id}`.execute(store.db);
      const replay = await postUsage(store, clock.now());
      assert.equal(replay.windows, 0);
      assert.equal((await usageOf(store, meter.id)).length, 4);
      assert.equal(await balanceOf(store, user), -6000);
      assert.equal((await new BillingRepo(store.db).meter(meter.id))?.postedUntil, clock.now().toISOString());
      assert.deepEqual(await verifyLedger(store), []);
    });

    test('two runs at once post each period once', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const users = [await aUser(store), await aUser(store), await aUser(store)];
      for (const u of users) await aMeter(store, u, 700);
      clock.advance(6 * HOUR);
      const runs = await Promise.all([postUsage(store, clock.now()), postUsage(store, clock.now()), postUsage(store, clock.now())]);
      assert.equal(runs.reduce((s, r) => s + r.windows, 0), 18);
      for (const u of users) assert.equal(await balanceOf(store, u), -6 * 700);
      assert.deepEqual(await verifyLedger(store), []);
    });

    test('opening a meter twice for the same thing gives the same meter; closing twice keeps the first stop', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const requestId = uuidV7Ids.next();
      const priced = { ccuPerHourMilli: 1000, components: [{ component: 'cpu', unit: 'core' as const, quantity: 1, ccuPerHourMilli: 1000 }] };
      const open = () => store.transaction((tx) => openMeter(tx, { id: store.ids.next(), userId: user, requestId, applianceId: null, priced, startedAt: clock.now() }));
      const first = await open();
      clock.advance(60_000);
      assert.equal((await open()).id, first.id);
      const stopAt = clock.now();
      await store.transaction((tx) => closeMeter(tx, first.id, stopAt));
      clock.advance(60_000);
      const again = await store.transaction((tx) => closeMeter(tx, first.id, clock.now()));
      assert.equal(again.stoppedAt, stopAt.toISOString());
      assert.notEqual((await open()).id, first.id, 'once stopped, the next start is a new meter');
      await assert.rejects(
        store.transaction((tx) => openMeter(tx, { id: store.ids.next(), userId: user, requestId: uuidV7Ids.next(), applianceId: null, priced: { ...priced, ccuPerHourMilli: 999 }, startedAt: clock.now() })),
        /sum of its components/,
      );
    });

    test('usage records and ledger entries are append-only', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      await aMeter(store, user, 1000);
      clock.advance(HOUR);
      await postUsage(store, clock.now());
      await assert.rejects(sql`update usage_records set amount_milli = 0`.execute(store.db), /append-only/);
      await assert.rejects(sql`delete from ledger_entries`.execute(store.db), /append-only/);
    });

    test('the service posts at every window boundary of the fake clock and tells its listeners', async (t) => {
      const { store, clock } = await billingStore(t, engine);
      const user = await aUser(store);
      const billing = new BillingService(store);
      await billing.setPriceList({ ...(await billing.priceList()).priceList, postingPeriodSeconds: 600 }, null);
      const heard: PostedBalance[][] = [];
      billing.onPosted((b) => void heard.push(b));
      billing.start();
      t.after(() => billing.stop());
      await billing.idle();
      const meter = await aMeter(store, user, 6000);
      for (let i = 0; i < 6; i++) {
        clock.advance(600_000);
        await billing.idle();
      }
      const usage = await usageOf(store, meter.id);
      assert.deepEqual(usage.map((u) => u.seconds), [600, 600, 600, 600, 600, 600]);
      assert.equal(await balanceOf(store, user), -6000);
      const mine = heard.flat().filter((b) => b.userId === user);
      assert.equal(mine.at(-1)?.balanceMilli, -6000);
      assert.equal(mine.filter((b) => b.crossed === 'exhausted').length, 1, 'the fall below zero is told once');
      await billing.stop();
      assert.equal(clock.pendingTimers(), 0, 'stop cancels the next run');
    });
  });
}
