import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { freePort } from '../support/server-process.ts';

/**
 * Cheap calls stay cheap, and accounts cannot be turned against their owners:
 * - /metrics needs a token (or its own address) and a scrape asks the store nothing (it once
 *   loaded every appliance and up to 10,000 outbox rows, unauthenticated);
 * - a quote reads only the caller's own requests (it once loaded every request in the system);
 * - one user cannot create requests (each mailing them) without limit;
 * - a changed e-mail address gets mail only once it is confirmed with the code mailed to it;
 * - failed logins are throttled per account, from whatever address;
 * - API tokens can expire; changing your password needs the current one and ends your other
 *   sessions.
 */
const V1 = '/api/v1';
const HOUR = 3_600_000;
const METRICS_TOKEN = 'scraper-token-for-the-metrics-of-this-test';
const PASSWORD = 'dora-password-correct-horse';
let cloud: CloudFixture;
let dora: User;

interface Answer {
  status: number;
  code: string | undefined;
  body: unknown;
  cookie: string | undefined;
}

async function call(method: string, path: string, opts: { bearer?: string; cookie?: string; csrf?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(cloud.cp.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (the metrics text)
  }
  return { status: res.status, code: (body as { error?: { code?: string } })?.error?.code, body, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

async function login(name: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const r = await call('POST', `${V1}/auth/login`, { body: { name, password } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { cookie: r.cookie as string, csrf: (r.body as { csrfToken: string }).csrfToken };
}

async function tokenOf(name: string, password: string, extra: Record<string, unknown> = {}): Promise<string> {
  const s = await login(name, password);
  const r = await call('POST', `${V1}/tokens`, { ...s, body: { name: `t-${Math.random()}`, ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return (r.body as { token: string }).token;
}

const order = () => {
  const now = cloud.clock.now().getTime();
  return { productId: cloud.product.id, size: 's', startAt: new Date(now + 24 * HOUR).toISOString(), endAt: new Date(now + 25 * HOUR).toISOString() };
};

before(async () => {
  cloud = await startCloud({
    drivers: [new SimDriver({})],
    policy: { autoApproveMaxCcu: 1_000 },
    controlPlane: { metricsToken: METRICS_TOKEN, metricsListen: `127.0.0.1:${await freePort()}`, loginRateLimit: 1_000, userRateLimit: 5, heartbeatMs: 60_000, fleetMetricsMs: 3_600_000, haCheckIntervalMs: 3_600_000 },
  });
  dora = await cloud.admin.ok<User>('POST', `${V1}/users`, { name: 'dora', email: 'dora@example.test', password: PASSWORD });
  await cloud.admin.ok('POST', `${V1}/ccu/grants`, { userId: dora.id, ccu: 1000, note: 'welcome' });
});

after(async () => {
  await cloud?.close();
});

describe('metrics', () => {
  it('need the metrics token or an admin token; a cloud user or nobody gets nothing', async () => {
    assert.equal((await call('GET', '/metrics')).status, 401);
    assert.equal((await call('GET', '/metrics', { bearer: 'fy_not_a_token' })).status, 401);
    const user = await tokenOf('dora', PASSWORD);
    const refused = await call('GET', '/metrics', { bearer: user });
    assert.deepEqual([refused.status, refused.code], [403, 'FY_FORBIDDEN']);
    for (const bearer of [METRICS_TOKEN, cloud.cp.adminToken as string]) {
      const r = await call('GET', '/metrics', { bearer });
      assert.equal(r.status, 200);
      assert.match(r.body as string, /^# TYPE fleetyard_appliances gauge$/m);
    }
    const own = await fetch(`${cloud.cp.metricsUrl}/metrics`);
    assert.equal(own.status, 200, 'the metrics address of its own needs no credentials');
    assert.match(await own.text(), /fleetyard_outbox_pending/);
  });

  it('cost the store nothing per scrape: fifty scrapes, and the store is asked no more than while idle', async () => {
    // The old scrape read every appliance and the outbox: at least 100 queries for 50 scrapes.
    // This control plane heartbeats once a minute and collects the fleet's figures and the N+1
    // plan (both read every appliance) once an hour, so nearly nothing else asks the store
    // meanwhile (at most a pass of the outbox relay's safety net).
    const queries: string[] = [];
    const off = cloud.cp.store.onQuery((sql) => queries.push(sql));
    try {
      for (let i = 0; i < 50; i++) assert.equal((await call('GET', '/metrics', { bearer: METRICS_TOKEN })).status, 200);
    } finally {
      off();
    }
    assert.ok(queries.length <= 5, `50 scrapes, ${queries.length} queries: ${queries.slice(0, 5).join(' | ')}`);
    assert.equal(queries.filter((q) => /from "appliances"/.test(q)).length, 0, 'no appliance was read');
  });
});

describe('a quote', () => {
  it("reads only the caller's own requests", async () => {
    const user = await tokenOf('dora', PASSWORD);
    const queries: string[] = [];
    const off = cloud.cp.store.onQuery((sql) => queries.push(sql));
    try {
      const r = await call('POST', `${V1}/cloud/quote`, { bearer: user, body: order() });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    } finally {
      off();
    }
    const ofRequests = queries.filter((q) => /from "cloud_requests"/.test(q));
    assert.ok(ofRequests.length > 0, 'it does read requests');
    assert.deepEqual(ofRequests.filter((q) => !/"owner_id" = /.test(q)), [], 'every read of requests is narrowed to an owner');
  });
});

describe('a cloud user', () => {
  it('cannot create requests without limit; other users are not held back', async () => {
    const frank = await cloud.admin.ok<User>('POST', `${V1}/users`, { name: 'frank', email: 'frank@example.test', password: 'frank-password-correct-horse' });
    await cloud.admin.ok('POST', `${V1}/ccu/grants`, { userId: frank.id, ccu: 1000, note: 'welcome' });
    const user = await tokenOf('frank', 'frank-password-correct-horse');
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) answers.push((await call('POST', `${V1}/cloud/requests`, { bearer: user, body: order() })).status);
    assert.deepEqual(answers.slice(0, 5), [201, 201, 201, 201, 201]);
    const over = await call('POST', `${V1}/cloud/requests`, { bearer: user, body: order() });
    assert.deepEqual([over.status, over.code], [429, 'FY_RATE_LIMITED']);
    const other = await call('POST', `${V1}/cloud/requests`, { bearer: await tokenOf('dora', PASSWORD), body: order() });
    assert.equal(other.status, 201, 'another user is not held back');
    const admin = await call('POST', `${V1}/cloud/requests`, { bearer: cloud.cp.adminToken as string, body: order() });
    assert.equal(admin.status, 201, 'an admin is not limited');
    for (const r of (await cloud.admin.ok<{ items: CloudRequest[] }>('GET', `${V1}/cloud/requests`)).items) {
      if (r.status.state !== 'done') await cloud.admin.call('POST', `${V1}/cloud/requests/${r.id}/cancel`, {});
    }
  });

  it('gets mail at a new address only after confirming it with the code mailed there', async () => {
    const s = await login('dora', PASSWORD);
    const changed = await call('PATCH', `${V1}/users/${dora.id}`, { ...s, body: { email: 'dora@new.example.test' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const u = changed.body as User;
    assert.equal(u.spec.email, 'dora@example.test', 'the address in use is still the old one');
    assert.equal(u.spec.pendingEmail, 'dora@new.example.test');
    let codeMail: string | undefined;
    await cloud.until(() => (codeMail = cloud.mailsTo('dora@new.example.test')[0]?.text) !== undefined, 'the code mailed to the new address');
    const code = /^\s+([0-9A-Z]{10})\s*$/m.exec(codeMail as string)?.[1];
    assert.ok(code, codeMail);
    // Until then, mail about the account goes to the old address only.
    const before = cloud.mailsTo('dora@example.test').length;
    const req = await call('POST', `${V1}/cloud/requests`, { ...s, body: order() });
    assert.equal(req.status, 201, JSON.stringify(req.body));
    await cloud.until(() => cloud.mailsTo('dora@example.test').length > before, 'the approval mail at the old address');
    assert.equal(cloud.mailsTo('dora@new.example.test').length, 1, 'nothing but the code went to the unconfirmed address');

    const wrong = await call('POST', `${V1}/users/${dora.id}/verify-email`, { ...s, body: { code: 'ZZZZZZZZZZ' } });
    assert.deepEqual([wrong.status, wrong.code], [400, 'FY_VERIFICATION_FAILED']);
    const ok = await call('POST', `${V1}/users/${dora.id}/verify-email`, { ...s, body: { code } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((ok.body as User).spec.email, 'dora@new.example.test');
    assert.equal((ok.body as User).spec.pendingEmail, null);
    const again = await call('POST', `${V1}/users/${dora.id}/verify-email`, { ...s, body: { code } });
    assert.equal(again.code, 'FY_VERIFICATION_FAILED', 'a code works once');
    await call('POST', `${V1}/cloud/requests/${(req.body as CloudRequest).id}/cancel`, { ...s, body: {} });
  });

  it('is shielded from password guessing per account, from any address', async () => {
    await cloud.admin.ok('POST', `${V1}/users`, { name: 'eve', email: 'eve@example.test', password: 'eve-password-correct-horse' });
    for (let i = 0; i < 10; i++) assert.equal((await call('POST', `${V1}/auth/login`, { body: { name: 'eve', password: `guess-${i}` } })).code, 'FY_LOGIN_FAILED');
    const locked = await call('POST', `${V1}/auth/login`, { body: { name: 'eve', password: 'eve-password-correct-horse' } });
    assert.deepEqual([locked.status, locked.code], [429, 'FY_RATE_LIMITED'], 'even the right password waits');
    assert.equal((await call('POST', `${V1}/auth/login`, { body: { name: 'dora', password: PASSWORD } })).status, 200, 'other accounts are not held back');
    cloud.clock.advance(16 * 60_000);
    assert.equal((await call('POST', `${V1}/auth/login`, { body: { name: 'eve', password: 'eve-password-correct-horse' } })).status, 200, 'the window passes');
  });

  it('can make a token that expires', async () => {
    const token = await tokenOf('dora', PASSWORD, { expiresInDays: 1 });
    assert.equal((await call('GET', `${V1}/auth/me`, { bearer: token })).status, 200);
    cloud.clock.advance(25 * HOUR);
    assert.equal((await call('GET', `${V1}/auth/me`, { bearer: token })).status, 401);
  });

  it('changes their password only with the current one, which ends their other sessions', async () => {
    const here = await login('dora', PASSWORD);
    const elsewhere = await login('dora', PASSWORD);
    const path = `${V1}/users/${dora.id}/password`;
    const next = 'dora-new-password-battery-staple';
    assert.equal((await call('PUT', path, { ...here, body: { password: next } })).code, 'FY_VALIDATION');
    const wrong = await call('PUT', path, { ...here, body: { password: next, currentPassword: 'not-it-at-all' } });
    assert.deepEqual([wrong.status, wrong.code], [403, 'FY_WRONG_PASSWORD']);
    assert.equal((await call('PUT', path, { ...here, body: { password: next, currentPassword: PASSWORD } })).status, 204);
    assert.equal((await call('GET', `${V1}/auth/me`, { cookie: here.cookie })).status, 200, 'the session it was changed from stays');
    assert.equal((await call('GET', `${V1}/auth/me`, { cookie: elsewhere.cookie })).status, 401, 'every other session ended');
    assert.equal((await call('POST', `${V1}/auth/login`, { body: { name: 'dora', password: next } })).status, 200);
  });
});
