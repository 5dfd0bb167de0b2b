import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { openEventStream, type OpenedEventStream } from '../support/event-stream.ts';
import { tokenFor } from '../support/session.ts';

/**
 * The stream the console and the self-service portal are driven by: two cloud users and an admin
 * each hold `GET /api/v1/events/stream` open while both users order an appliance. Each user's
 * stream carries exactly their own events, the admin's all of them, in the log's order, with
 * nothing skipped or repeated, also across a resume with Last-Event-ID or afterSeq.
 */

const HOUR = 3_600_000;
const V1 = '/api/v1';

interface Party {
  user: User;
  token: string;
  request?: CloudRequest;
}

describe('the live event stream, per user', () => {
  let cloud: CloudFixture;
  let alice: Party;
  let bob: Party;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function party(name: string): Promise<Party> {
    const password = `${name}-password-correct-horse`;
    const user = await cloud.admin.ok<User>('POST', `${V1}/users`, { name, email: `${name}@example.test`, password });
    await cloud.admin.ok('PUT', `${V1}/quotas/users/${user.id}`, { appliances: 2, cpu: 4, memoryMiB: 1024 });
    await cloud.admin.ok('POST', `${V1}/ccu/grants`, { userId: user.id, ccu: 100, note: 'welcome credits' });
    return { user, token: await tokenFor(cloud.cp.url, name, password) };
  }

  async function order(p: Party): Promise<CloudRequest> {
    const now = cloud.clock.now().getTime();
    const body = { productId: cloud.product.id, size: 's', startAt: new Date(now).toISOString(), endAt: new Date(now + 2 * HOUR).toISOString() };
    const res = await fetch(`${cloud.cp.url}${V1}/cloud/requests`, {
      method: 'POST',
      headers: { ...bearer(p.token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as CloudRequest;
  }

  async function stream(t: TestContext, headers: Record<string, string>, query = ''): Promise<OpenedEventStream> {
    const s = await openEventStream(cloud.cp.url, headers, `${V1}/events/stream${query}`);
    t.after(() => s.close());
    assert.equal(s.status, 200, s.text());
    return s;
  }

  /** What the log holds after `afterSeq`, read as the admin, oldest first. */
  async function log(afterSeq: number): Promise<FleetyardEvent[]> {
    return cloud.cp.store.read.events.list({ afterSeq, limit: 1000 });
  }

  /** The stream's events so far are exactly the first of `expected`: none skipped, none twice, in order. */
  function isPrefixOf(got: FleetyardEvent[], expected: FleetyardEvent[], who: string): void {
    assert.ok(got.length > 0, `${who} got events`);
    assert.deepEqual(got.map((e) => `${e.seq} ${e.type}`), expected.slice(0, got.length).map((e) => `${e.seq} ${e.type}`), who);
  }

  before(async () => {
    cloud = await startCloud({ drivers: [new SimDriver({})], policy: { autoApproveMaxCcu: 1_000, provisionLeadMs: 10 * 60_000 } });
    alice = await party('alice');
    bob = await party('bob');
  });

  after(async () => {
    await cloud?.close();
  });

  it("carries each user's own events to them, and everyone's to the admin", async (t) => {
    const start = await cloud.cp.store.read.events.lastSeq();
    const streams = {
      alice: await stream(t, bearer(alice.token)),
      bob: await stream(t, bearer(bob.token)),
      admin: await stream(t, bearer(cloud.cp.adminToken as string)),
      // A user cannot widen their view by naming another owner; an admin narrows theirs with it.
      aliceAskingForBob: await stream(t, bearer(alice.token), `?ownerId=${bob.user.id}`),
      adminOfAlice: await stream(t, bearer(cloud.cp.adminToken as string), `?ownerId=${alice.user.id}`),
    };
    // Live, not replayed: every stream is connected (openEventStream waits for it) before anything happens.
    alice.request = await order(alice);
    bob.request = await order(bob);
    const active = (r: CloudRequest) => (e: FleetyardEvent) => e.type === 'request.active' && e.objectId === r.id;
    const running = (owner: User) => (e: FleetyardEvent) => e.type === 'appliance.running' && e.ownerId === owner.id;
    await streams.alice.until(active(alice.request), "alice's request active");
    await streams.alice.until(running(alice.user), "alice's appliance running");
    await streams.bob.until(active(bob.request), "bob's request active");
    await streams.bob.until(running(bob.user), "bob's appliance running");
    await streams.admin.until(active(alice.request), "alice's request active, as the admin");
    await streams.admin.until(active(bob.request), "bob's request active, as the admin");
    await streams.adminOfAlice.until(active(alice.request), "alice's request active, as the admin asked for hers");
    await streams.aliceAskingForBob.until(active(alice.request), "alice's request active, though she asked for bob's");

    // What each stream has shown by now, against the log read afterwards.
    const got = Object.fromEntries(Object.entries(streams).map(([who, s]) => [who, [...s.events]])) as Record<keyof typeof streams, FleetyardEvent[]>;
    const all = await log(start);
    const of = (u: User) => all.filter((e) => e.ownerId === u.id);
    isPrefixOf(got.alice, of(alice.user), 'alice');
    isPrefixOf(got.bob, of(bob.user), 'bob');
    isPrefixOf(got.admin, all, 'the admin');
    isPrefixOf(got.adminOfAlice, of(alice.user), 'the admin, asking for alice');
    isPrefixOf(got.aliceAskingForBob, of(alice.user), 'alice, asking for bob');

    // Each user's stream has their whole order in it, and nothing of the other's.
    for (const [p, other, seen] of [[alice, bob, got.alice], [bob, alice, got.bob]] as const) {
      const types = new Set(seen.map((e) => e.type));
      for (const type of ['request.submitted', 'request.approved', 'request.provisioning', 'request.active', 'appliance.created', 'appliance.placed', 'appliance.running', 'mail.queued']) {
        assert.ok(types.has(type as FleetyardEvent['type']), `${p.user.name} saw ${type}`);
      }
      assert.ok(seen.every((e) => e.ownerId === p.user.id), `${p.user.name} saw only their own events`);
      const text = streams[p === alice ? 'alice' : 'bob'].text();
      for (const id of [other.user.id, other.user.name, other.user.spec.email, other.request?.id as string]) assert.ok(!text.includes(id), `${p.user.name}'s stream never shows ${id}`);
    }
    const owners = new Set(got.admin.map((e) => e.ownerId));
    assert.ok(owners.has(alice.user.id) && owners.has(bob.user.id), 'the admin saw the events of both users');

    // The SSE format: id = seq, event = type, data = the event.
    for (const s of Object.values(streams)) {
      assert.deepEqual(s.messages.slice(0, s.events.length), s.events.map((e) => ({ id: String(e.seq), event: e.type })));
    }
  });

  it('resumes a user\'s stream after Last-Event-ID or afterSeq with nothing skipped or repeated', async (t) => {
    const mine = (await log(0)).filter((e) => e.ownerId === alice.user.id);
    assert.ok(mine.length >= 6, 'alice has events to resume among');
    const mid = mine[Math.floor(mine.length / 2)] as FleetyardEvent;
    const last = mine.at(-1) as FleetyardEvent;
    const rest = mine.filter((e) => e.seq > mid.seq).map((e) => e.id);
    for (const [how, headers, query] of [
      ['Last-Event-ID', { ...bearer(alice.token), 'last-event-id': String(mid.seq) }, ''],
      ['afterSeq', bearer(alice.token), `?afterSeq=${mid.seq}`],
    ] as const) {
      const s = await stream(t, headers, query);
      await s.until((e) => e.seq === last.seq, `the resumed stream (${how}) reaching seq ${last.seq}`);
      assert.deepEqual(s.events.filter((e) => e.seq <= last.seq).map((e) => e.id), rest, how);
      s.close();
    }
  });
});
