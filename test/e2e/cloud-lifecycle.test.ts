import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { User } from '../../src/domain/user.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { findLeaks } from '../support/host-leaks.ts';
import { SessionClient } from '../support/session.ts';
import { hostKeyFromConsole, sshRun } from '../support/ssh.ts';

/**
 * The self-service cloud end to end, on the real container driver and a real SMTP server, on a
 * fake clock: a request is auto-approved, provisioned before its start, reachable with the user's
 * login, billed per second, and de-provisioned at its end; a second user runs out of credits.
 */
const HOUR = 3_600_000;
let cloud: CloudFixture;
let t0: number;

before(async () => {
  cloud = await startCloud({ policy: { autoApproveMaxCcu: 50, provisionLeadMs: 10 * 60_000 } });
  t0 = cloud.clock.now().getTime();
});

after(async () => {
  await cloud?.close();
});

async function newUser(name: string, ccu: number, sshPublicKey: string | null): Promise<{ user: User; session: SessionClient }> {
  const password = `pw-${name}-correct-horse`;
  const user = await cloud.admin.ok<User>('POST', '/api/v1/users', { name, email: `${name}@example.test`, sshPublicKey, password });
  await cloud.admin.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu, note: 'welcome credits' });
  const session = new SessionClient(cloud.cp.url);
  await session.login(name, password);
  return { user, session };
}

const stateOf = async (s: SessionClient, id: string) => (await s.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${id}`)).status.state;
const balanceOf = async (s: SessionClient) => (await s.ok<{ balanceMilli: number }>('GET', '/api/v1/ccu/balance')).balanceMilli;

describe('a cloud request with 100 CCU', () => {
  const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'alice@test' });
  let alice: { user: User; session: SessionClient };
  let request: CloudRequest;
  let appliance: Appliance;

  it('is priced, fits the quota, and is auto-approved with its capacity reserved', async () => {
    alice = await newUser('alice', 100, keys.public);
    const order = {
      productId: cloud.product.id,
      size: 's',
      startAt: new Date(t0 + HOUR).toISOString(),
      endAt: new Date(t0 + 3 * HOUR).toISOString(),
    };
    const quote = await alice.session.ok<{ ccuPerHour: number; totalCcu: number; fits: boolean }>('POST', '/api/v1/cloud/quote', order);
    assert.equal(quote.ccuPerHour, 12.5);
    assert.equal(quote.totalCcu, 25);
    assert.equal(quote.fits, true);
    const refused = await alice.session.call('POST', '/api/v1/cloud/requests', order, { csrf: false });
    assert.equal(refused.status, 403, 'a change with the session cookie but no CSRF token is refused');
    request = await alice.session.ok<CloudRequest>('POST', '/api/v1/cloud/requests', order);
    await cloud.until(async () => (await stateOf(alice.session, request.id)) === 'approved', 'approval');
    await cloud.until(() => cloud.mailsTo('alice@example.test').length >= 1, 'the approval mail');
    assert.match(cloud.mailsTo('alice@example.test')[0]?.subject ?? '', /approved/i);
  });

  it('is provisioned before its start time, with the login in place, and announced by mail', async () => {
    cloud.clock.set(new Date(t0 + HOUR - 10 * 60_000));
    await cloud.until(async () => (await stateOf(alice.session, request.id)) === 'active', 'the request going active');
    assert.ok(cloud.clock.now().getTime() < t0 + HOUR, 'active before the window starts');
    request = await alice.session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`);
    assert.deepEqual(request.status.login, { user: 'alice', method: 'ssh-key' });
    appliance = await alice.session.ok<Appliance>('GET', `/api/v1/appliances/${request.status.applianceIds[0]}`);
    assert.equal(appliance.status.phase, 'running');
    assert.match(appliance.spec.network, /^tenant-u[0-9a-f]{12}$/, 'on alice\'s private network');
    const own = await alice.session.ok<{ items: Appliance[] }>('GET', `/api/v1/cloud/requests/${request.id}/appliances`);
    assert.deepEqual(own.items.map((a) => [a.id, a.status.address, a.spec.login?.user]), [[appliance.id, appliance.status.address, 'alice']]);

    await cloud.until(() => cloud.mailsTo('alice@example.test').length >= 2, 'the active mail');
    const active = cloud.mailsTo('alice@example.test')[1];
    assert.match(active?.text ?? '', new RegExp(`ssh alice@${appliance.status.address?.replace(/\./g, '\\.')}`));

    const hostKey = hostKeyFromConsole(await alice.session.text(`/api/v1/appliances/${appliance.id}/logs`));
    const who = await sshRun(
      { address: appliance.status.address as string, localAddress: await cloud.tenantGateway(appliance.spec.network), hostKey },
      { username: 'alice', privateKey: keys.private },
      'id -un; hostname',
    );
    assert.equal(who.code, 0);
    assert.equal(who.stdout.trim().split('\n')[0], 'alice');
  });

  it('is billed per second while active, every charge explained by usage', async () => {
    cloud.clock.set(new Date(t0 + 2 * HOUR));
    // Active since t0+50min: 10 min in the first hour, then a whole hour, at 12.5 CCU/h.
    const expected = 100_000 - Math.round(12_500 * (70 / 60));
    await cloud.until(async () => Math.abs((await balanceOf(alice.session)) - expected) <= 1, 'two postings');
    const ledger = await alice.session.ok<{ items: Array<{ kind: string; amountMilli: number; usage: { seconds: number } | null }> }>('GET', '/api/v1/ccu/ledger');
    const debits = ledger.items.filter((e) => e.kind === 'debit');
    assert.equal(debits.length, 2);
    assert.equal(debits.reduce((s, e) => s + (e.usage?.seconds ?? 0), 0), 70 * 60, 'the usage explains every second');
  });

  it('is de-provisioned at its end, leaves nothing on the host, and says so by mail', async () => {
    cloud.clock.set(new Date(t0 + 3 * HOUR));
    await cloud.until(async () => (await stateOf(alice.session, request.id)) === 'done', 'de-provisioning');
    const gone = await cloud.admin.call('GET', `/api/v1/appliances/${appliance.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual((await alice.session.ok<{ items: Appliance[] }>('GET', `/api/v1/cloud/requests/${request.id}/appliances`)).items, [], 'an ended request has no appliances left');
    const leaks = await findLeaks([appliance.id], join(cloud.dataDir, 'run', 'container'), { storageRoot: join(cloud.dataDir, 'storage', 'local') });
    assert.deepEqual(leaks, []);
    const billedMilli = Math.round(12_500 * (130 / 60));
    await cloud.until(async () => Math.abs((await balanceOf(alice.session)) - (100_000 - billedMilli)) <= 1, 'the final posting');
    await cloud.until(() => cloud.mailsTo('alice@example.test').length >= 3, 'the de-provisioned mail');
    const subjects = cloud.mailsTo('alice@example.test').map((m) => m.subject);
    assert.equal(subjects.length, 3, subjects.join(' | '));
    assert.match(subjects[2] ?? '', /de-?provisioned|ended|released/i);
  });
});

describe('a cloud user whose credits run out', () => {
  it('is warned, then de-provisioned at zero, never more than one posting period in debt', async () => {
    const start = cloud.clock.now().getTime();
    const bob = await newUser('bob', 20, null);
    const order = {
      productId: cloud.product.id,
      size: 's',
      startAt: new Date(start + 10 * 60_000).toISOString(),
      endAt: new Date(start + 2 * HOUR + 10 * 60_000).toISOString(),
    };
    const request = await bob.session.ok<CloudRequest>('POST', '/api/v1/cloud/requests', order);
    await cloud.until(async () => (await stateOf(bob.session, request.id)) === 'active', 'bob active');
    const active = await bob.session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${request.id}`);
    assert.deepEqual(active.status.login, { user: 'bob', method: 'password' });
    await cloud.until(() => cloud.mailsTo('bob@example.test').length >= 2, "bob's active mail");
    assert.match(cloud.mailsTo('bob@example.test')[1]?.text ?? '', /password/i);

    // 20 CCU at 12.5 CCU/h: low (≤ 10) after the first posting, exhausted after the second.
    cloud.clock.set(new Date(Math.ceil((start + 1) / HOUR) * HOUR + HOUR));
    await cloud.until(() => cloud.mailsTo('bob@example.test').some((m) => /credit/i.test(m.subject)), 'the low-credit warning');
    cloud.clock.set(new Date(Math.ceil((start + 1) / HOUR) * HOUR + 2 * HOUR));
    await cloud.until(async () => ['deprovisioning', 'done'].includes(await stateOf(bob.session, request.id)), 'de-provisioning at zero');
    await cloud.until(async () => (await stateOf(bob.session, request.id)) === 'done', 'bob done');
    const balance = await balanceOf(bob.session);
    assert.ok(balance <= 0, `the balance reached zero (${balance})`);
    assert.ok(balance >= -12_500, `no more than one posting period of debt (${balance})`);
    const slots = await cloud.admin.ok<{ items: unknown[] }>('GET', '/api/v1/resources?type=container');
    assert.equal(slots.items.length, 0, 'nothing remains deployed');
    for (const id of active.status.applianceIds) {
      assert.equal((await cloud.admin.call('GET', `/api/v1/appliances/${id}`)).status, 404);
    }
    await cloud.until(() => cloud.mailsTo('bob@example.test').length >= 4, "bob's de-provisioned mail");
    const subjects = cloud.mailsTo('bob@example.test').map((m) => m.subject);
    const warned = subjects.findIndex((s) => /credit/i.test(s));
    assert.ok(warned >= 0 && warned < subjects.length - 1, `warned before the end: ${subjects.join(' | ')}`);
  });
});
