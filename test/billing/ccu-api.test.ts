import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAuthentication } from '../../src/api/auth/authenticate.ts';
import type { ApiContext } from '../../src/api/context.ts';
import { errorHandler } from '../../src/api/errors.ts';
import { ccuRoutes } from '../../src/api/routes/ccu.ts';
import { BillingService } from '../../src/billing/billing-service.ts';
import { IdentityService } from '../../src/identity/identity-service.ts';
import type { Store } from '../../src/store/store.ts';
import { engines, type Engine } from '../support/engines.ts';
import { aMeter, billingStore, HOUR, parseCsv } from './fixture.ts';

/** The /ccu routes through app.inject(), with real authentication: who may see and do what. */

interface World {
  app: FastifyInstance;
  store: Store;
  billing: BillingService;
  admin: { id: string; token: string };
  alice: { id: string; token: string };
  bob: { id: string; token: string };
}

async function world(t: TestContext, engine: Engine): Promise<World & { advance(ms: number): void }> {
  const { store, clock } = await billingStore(t, engine);
  const identity = new IdentityService(store);
  const billing = new BillingService(store);
  const person = async (name: string, role: 'admin' | 'user') => {
    const u = await identity.createUser(name, { email: `${name}@example.com`, role, groupId: null, sshPublicKey: null, disabled: false }, null);
    return { id: u.id, token: (await identity.createToken(u.id, 'test')).token };
  };
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const ctx = { store, identity, billing } as unknown as ApiContext & { billing: BillingService };
  await app.register(async (v1) => {
    registerAuthentication(v1, identity);
    await v1.register(ccuRoutes(ctx));
  }, { prefix: '/api/v1' });
  await app.ready();
  t.after(() => app.close());
  return { app, store, billing, admin: await person('admin', 'admin'), alice: await person('alice', 'user'), bob: await person('bob', 'user'), advance: (ms) => clock.advance(ms) };
}

async function call(w: World, who: { token: string }, method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) {
  const res = await w.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${who.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: res.body, json: () => res.json() as Record<string, any> };
}

for (const engine of engines()) {
  describe(`/ccu routes on ${engine.name}`, () => {
    test('an admin grants, a user sees only their own figures', async (t) => {
      const w = await world(t, engine);
      const grant = await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 12.5, note: 'welcome', idempotencyKey: 'welcome-alice' });
      assert.equal(grant.status, 201, grant.text);
      assert.equal(grant.json().balanceCcu, '12.500');
      const retry = await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 12.5, note: 'welcome', idempotencyKey: 'welcome-alice' });
      assert.equal(retry.status, 200);
      assert.equal(retry.json().created, false);

      const own = await call(w, w.alice, 'GET', '/ccu/balance');
      assert.equal(own.status, 200, own.text);
      assert.deepEqual(
        { ...own.json(), userId: undefined },
        { userId: undefined, balanceMilli: 12_500, balanceCcu: '12.500', currency: 'EUR', amount: '0.01', unpostedMilli: 0, burnMilliPerHour: 0, burnCcuPerHour: '0.000', lastsUntil: null, priceListVersion: 0 },
      );
      assert.equal((await call(w, w.alice, 'GET', `/ccu/balance?userId=${w.alice.id}`)).status, 200);
      assert.equal((await call(w, w.bob, 'GET', `/ccu/balance?userId=${w.alice.id}`)).json().error.code, 'FY_NOT_FOUND');
      assert.equal((await call(w, w.bob, 'GET', `/ccu/ledger?userId=${w.alice.id}`)).status, 404);
      assert.equal((await call(w, w.bob, 'GET', `/ccu/statement.csv?userId=${w.alice.id}`)).status, 404);
      assert.equal((await call(w, w.bob, 'GET', '/ccu/balance')).json().balanceMilli, 0);
      assert.equal((await call(w, w.admin, 'GET', `/ccu/balance?userId=${w.alice.id}`)).json().balanceMilli, 12_500);
      assert.equal((await call(w, w.admin, 'GET', `/ccu/balance?userId=${w.admin.id.slice(0, -4)}ffff`)).status, 404);
      assert.equal((await call(w, w.admin, 'GET', '/ccu/balance?userId=alice')).json().error.code, 'FY_BAD_ID');

      const forbidden = await call(w, w.alice, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 1000, note: 'free money' });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.json().error.code, 'FY_FORBIDDEN');
      const bad = await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 0.0001, note: 'too fine' });
      assert.equal(bad.json().error.code, 'FY_VALIDATION');
      assert.equal((await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 1, note: 'x', extra: true })).status, 400);
    });

    test('the ledger explains each debit; the statement is CSV; the price list is the admin\'s', async (t) => {
      const w = await world(t, engine);
      await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 100, note: 'start' });
      await aMeter(w.store, w.alice.id, 2500);
      for (let h = 0; h < 3; h++) {
        w.advance(HOUR);
        await w.billing.runNow();
      }
      const page = await call(w, w.alice, 'GET', '/ccu/ledger?limit=2');
      assert.equal(page.status, 200, page.text);
      const { items, nextCursor } = page.json();
      assert.equal(items.length, 2);
      assert.equal(items[0].kind, 'debit');
      assert.equal(items[0].amountCcu, '-2.500');
      assert.equal(items[0].usage.seconds, 3600);
      assert.equal(items[0].usage.ccuPerHourMilli, 2500);
      const rest = (await call(w, w.alice, 'GET', `/ccu/ledger?cursor=${nextCursor}`)).json();
      assert.deepEqual(rest.items.map((e: { kind: string }) => e.kind), ['debit', 'grant']);
      assert.equal(rest.nextCursor, null);

      const balance = (await call(w, w.alice, 'GET', '/ccu/balance')).json();
      assert.equal(balance.balanceCcu, '92.500');
      assert.equal(balance.burnCcuPerHour, '2.500');
      assert.equal(balance.lastsUntil, '2026-01-02T16:00:00.000Z');

      const csv = await call(w, w.alice, 'GET', '/ccu/statement.csv?from=2026-01-01T00:00:00Z');
      assert.equal(csv.status, 200);
      assert.match(csv.type, /^text\/csv/);
      assert.equal(parseCsv(csv.text).reduce((s, r) => s + Number(r.amount_milli), 0), 92_500);
      assert.equal((await call(w, w.alice, 'GET', '/ccu/statement.csv?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status, 400);

      const list = (await call(w, w.alice, 'GET', '/ccu/price-list')).json();
      assert.equal(list.version, 0);
      assert.equal((await call(w, w.alice, 'PUT', '/ccu/price-list', list.priceList)).status, 403);
      const changed = await call(w, w.admin, 'PUT', '/ccu/price-list', { ...list.priceList, lowBalanceCcu: 5 });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.json().version, 1);
      assert.equal((await call(w, w.bob, 'GET', '/ccu/price-list')).json().priceList.lowBalanceCcu, 5);
      assert.equal((await call(w, w.admin, 'PUT', '/ccu/price-list', { ...list.priceList, currency: { code: 'XYZ', ccuPerUnit: 1 } })).status, 400);
    });

    test('the usage series sums the ledger per hour or day, every bucket present, only for its owner', async (t) => {
      const w = await world(t, engine);
      // 2026-01-01T00:00Z: 100 CCU granted, a meter at 2.5 CCU/h; three hourly postings follow.
      await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.alice.id, ccu: 100, note: 'start' });
      await aMeter(w.store, w.alice.id, 2500);
      for (let h = 0; h < 3; h++) {
        w.advance(HOUR);
        await w.billing.runNow();
      }
      // Each run tells the user once that their balance moved, so a page showing it stays live.
      const posted = await w.store.read.events.list({ type: 'billing.posted', limit: 10 });
      assert.deepEqual(posted.map((e) => [e.ownerId, e.data.balanceMilli]), [[w.alice.id, 97_500], [w.alice.id, 95_000], [w.alice.id, 92_500]]);
      const hours = await call(w, w.alice, 'GET', '/ccu/usage?bucket=hour&from=2026-01-01T00:00:00Z&to=2026-01-01T03:30:00Z');
      assert.equal(hours.status, 200, hours.text);
      const series = hours.json();
      assert.equal(series.userId, w.alice.id);
      assert.equal(series.openingBalanceMilli, 0);
      assert.deepEqual(
        series.points.map((p: Record<string, unknown>) => [p.start, p.debitMilli, p.creditMilli, p.balanceMilli]),
        [
          ['2026-01-01T00:00:00.000Z', 0, 100_000, 100_000],
          ['2026-01-01T01:00:00.000Z', 2500, 0, 97_500],
          ['2026-01-01T02:00:00.000Z', 2500, 0, 95_000],
          ['2026-01-01T03:00:00.000Z', 2500, 0, 92_500],
        ],
      );
      // A span that starts after the grant opens at the balance before it; a day sums its hours.
      const late = (await call(w, w.alice, 'GET', '/ccu/usage?bucket=hour&from=2026-01-01T02:00:00Z&to=2026-01-01T03:00:00Z')).json();
      assert.equal(late.openingBalanceMilli, 97_500);
      assert.deepEqual(late.points.map((p: { balanceMilli: number }) => p.balanceMilli), [95_000, 92_500]);
      const days = (await call(w, w.alice, 'GET', '/ccu/usage')).json();
      assert.equal(days.bucket, 'day');
      assert.equal(days.points.length, 31);
      assert.deepEqual(days.points.at(-1), { start: '2026-01-01T00:00:00.000Z', debitMilli: 7500, creditMilli: 100_000, balanceMilli: 92_500 });
      assert.equal(days.points.slice(0, -1).every((p: { balanceMilli: number }) => p.balanceMilli === 0), true);

      const bob = await call(w, w.bob, 'GET', `/ccu/usage?userId=${w.alice.id}`);
      assert.equal(bob.status, 404);
      assert.equal((await call(w, w.bob, 'GET', '/ccu/usage')).json().points.every((p: { balanceMilli: number }) => p.balanceMilli === 0), true);
      assert.equal((await call(w, w.admin, 'GET', `/ccu/usage?userId=${w.alice.id}&bucket=hour&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z`)).json().points[0].creditMilli, 100_000);
      const tooMany = await call(w, w.alice, 'GET', '/ccu/usage?bucket=hour&from=2025-01-01T00:00:00Z');
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.json().error.code, 'FY_VALIDATION');
      assert.equal(tooMany.json().error.details.field, 'from');
      assert.equal((await call(w, w.alice, 'GET', '/ccu/usage?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).json().error.details.field, 'from');
      assert.equal((await call(w, w.alice, 'GET', '/ccu/usage?bucket=week')).status, 400);
    });

    test('an admin rebuilds the balances and sees before, after and the ledger check', async (t) => {
      const w = await world(t, engine);
      await call(w, w.admin, 'POST', '/ccu/grants', { userId: w.bob.id, ccu: 3, note: 'start' });
      assert.equal((await call(w, w.bob, 'POST', '/ccu/rebuild')).status, 403);
      const r = await call(w, w.admin, 'POST', '/ccu/rebuild');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json(), { users: [{ userId: w.bob.id, beforeMilli: 3000, afterMilli: 3000 }], changed: 0, problems: [] });
    });
  });
}
