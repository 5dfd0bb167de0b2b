import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { IdentityKey } from '../../src/agent/identity-key.ts';
import { subjects, type EnrollRequest } from '../../src/agent/protocol.ts';
import { signMessage } from '../../src/agent/signed-message.ts';
import { TransitKey } from '../../src/agent/transit-key.ts';
import { AgentMessages } from '../../src/control-plane/agent-messages.ts';
import { HostEnrollment } from '../../src/control-plane/host-enrollment.ts';
import { HostRegistry } from '../../src/control-plane/host-registry.ts';
import { MemoryBus } from '../../src/bus/memory-bus.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import { FleetyardError, type ErrorCode } from '../../src/domain/errors.ts';
import { JoinTokens } from '../../src/identity/join-tokens.ts';
import type { Store } from '../../src/store/store.ts';
import { engines } from '../support/engines.ts';

/**
 * Enrolment against the real store on both engines: a join token enrols exactly one agent, once,
 * however many present it at the same moment; expired and revoked tokens enrol nobody; an
 * enrolled host's keys change only with a token made for that host, never by registering.
 */
const hasCode = (code: ErrorCode) => (e: unknown) => e instanceof FleetyardError && e.code === code;

interface Machine {
  identity: IdentityKey;
  transit: TransitKey;
  machineId: string;
}

function machine(t: TestContext, machineId: string): Machine {
  const dir = mkdtempSync(join(tmpdir(), 'fy-enrol-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { identity: IdentityKey.forDataDir(dir), transit: TransitKey.forDataDir(dir), machineId };
}

const facts = { hostname: 'node-1', cpu: 4, cpuModel: 'test', memoryMiB: 4096, diskMiB: 10_000, kernel: 'test', virtualizations: ['sim' as const], agentVersion: 'test' };

function request(m: Machine, token: string, now: Date) {
  const body: EnrollRequest = { token, identityKey: m.identity.publicKey, transitKey: m.transit.publicKey, machineId: m.machineId, facts };
  return signMessage(m.identity, '', subjects.enroll, body, now);
}

for (const engine of engines()) {
  describe(`enrolment on ${engine.name}`, () => {
    async function open(t: TestContext): Promise<{ store: Store; clock: FakeClock; tokens: JoinTokens; enrollment: HostEnrollment }> {
      const clock = new FakeClock(new Date('2030-01-01T00:00:00Z'));
      const { store, cleanup } = await engine.openStore({ clock });
      t.after(cleanup);
      return { store, clock, tokens: new JoinTokens(store), enrollment: new HostEnrollment(store, IdentityKey.ephemeral()) };
    }

    test('a join token enrols exactly one of many agents presenting it at once', async (t) => {
      const { store, clock, tokens, enrollment } = await open(t);
      const { token, id } = await tokens.create({ ttlMs: 600_000 });
      const machines = Array.from({ length: 8 }, (_, i) => machine(t, `race-${i}`));
      const results = await Promise.allSettled(machines.map((m) => enrollment.enroll(request(m, token, clock.now()))));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1, `one enrolment, got ${won.length}`);
      for (const r of results) if (r.status === 'rejected') assert.ok(hasCode('FY_JOIN_TOKEN_INVALID')(r.reason), String(r.reason));
      const hostId = (won[0] as PromiseFulfilledResult<{ hostId: string }>).value.hostId;
      const hosts = (await store.read.resources.all({ type: 'physical' })).filter((r) => r.spec.virtualizations.length > 0);
      assert.deepEqual(hosts.map((h) => h.id), [hostId], 'one host, made by the winner only');
      assert.equal((await tokens.list()).items.find((x) => x.id === id)?.state, 'used');
      await assert.rejects(enrollment.enroll(request(machine(t, 'late'), token, clock.now())), hasCode('FY_JOIN_TOKEN_INVALID'), 'spent for good');
    });

    test('an expired or revoked token enrols nobody', async (t) => {
      const { clock, tokens, enrollment } = await open(t);
      const short = await tokens.create({ ttlMs: 60_000 });
      const revoked = await tokens.create({ ttlMs: 600_000 });
      await tokens.revoke(revoked.id);
      clock.advance(61_000);
      await assert.rejects(enrollment.enroll(request(machine(t, 'a'), short.token, clock.now())), hasCode('FY_JOIN_TOKEN_INVALID'));
      await assert.rejects(enrollment.enroll(request(machine(t, 'b'), revoked.token, clock.now())), hasCode('FY_JOIN_TOKEN_INVALID'));
      assert.deepEqual((await tokens.list()).items.map((x) => x.state).sort(), ['expired', 'revoked']);
    });

    test('join tokens page newest first, and a state filter shows only the tokens in that state now', async (t) => {
      const { clock, tokens, enrollment } = await open(t);
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await tokens.create({ ttlMs: 600_000, note: `t${i}` })).id);
      const short = await tokens.create({ ttlMs: 60_000, note: 'short' });
      made.push(short.id);
      await tokens.revoke(made[1] as string);
      const spent = await tokens.create({ ttlMs: 600_000 });
      made.push(spent.id);
      await enrollment.enroll(request(machine(t, 'paged'), spent.token, clock.now()));
      clock.advance(61_000);

      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await tokens.list({ cursor, limit: 3 });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((x) => x.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, [...made].reverse(), 'every token once, newest first');

      const ids = async (state: 'pending' | 'used' | 'expired' | 'revoked') => (await tokens.list({ state })).items.map((x) => x.id);
      assert.deepEqual(await ids('pending'), [made[4], made[3], made[2], made[0]]);
      assert.deepEqual(await ids('revoked'), [made[1]]);
      assert.deepEqual(await ids('expired'), [short.id]);
      assert.deepEqual(await ids('used'), [spent.id]);
      for (const state of ['pending', 'used', 'expired', 'revoked'] as const) {
        assert.ok((await tokens.list({ state })).items.every((x) => x.state === state), state);
      }
    });

    test("an enrolled host's keys change only with a token made for it, never by registering", async (t) => {
      const { store, clock, tokens, enrollment } = await open(t);
      const real = machine(t, 'machine-1');
      const { hostId } = await enrollment.enroll(request(real, (await tokens.create({})).token, clock.now()));
      const keys = await store.read.enrollment.hostKeys(hostId);
      assert.equal(keys?.identity_key, real.identity.publicKey);

      // Same machine id, another identity, a plain token: refused, keys unchanged.
      const impostor = machine(t, 'machine-1');
      await assert.rejects(enrollment.enroll(request(impostor, (await tokens.create({})).token, clock.now())), hasCode('FY_HOST_ALREADY_ENROLLED'));
      // A registration that reports another transit key changes the facts, not the key.
      const registry = new HostRegistry(store, new MemoryBus(), { enrollment, messages: new AgentMessages(store, () => undefined), key: IdentityKey.ephemeral(), leaseMs: 10_000, onChange: () => undefined });
      await registry.register(hostId, { machineId: 'machine-1', facts: { ...facts, cpu: 8, transitKey: impostor.transit.publicKey } });
      assert.deepEqual(await store.read.enrollment.hostKeys(hostId), keys);
      const host = await store.read.resources.get(hostId);
      assert.equal(host?.spec.capacity.cpu, 8, 'the facts were taken');
      assert.equal(host?.status.facts.transitKey, real.transit.publicKey, 'the key was not');

      // A token an admin made for this host re-enrols it with the new keys.
      const forHost = await tokens.create({ hostId });
      assert.equal((await enrollment.enroll(request(impostor, forHost.token, clock.now()))).hostId, hostId);
      assert.equal((await store.read.enrollment.hostKeys(hostId))?.identity_key, impostor.identity.publicKey);
    });

    test('an enrolment signed with another key than the one it presents is refused', async (t) => {
      const { clock, tokens, enrollment } = await open(t);
      const m = machine(t, 'm');
      const other = IdentityKey.ephemeral();
      const { token } = await tokens.create({});
      const body: EnrollRequest = { token, identityKey: m.identity.publicKey, transitKey: m.transit.publicKey, machineId: m.machineId, facts };
      await assert.rejects(enrollment.enroll(signMessage(other, '', subjects.enroll, body, clock.now())), hasCode('FY_MESSAGE_REFUSED'));
      assert.equal((await tokens.list()).items[0]?.state, 'pending', 'the token is not spent by a refused enrolment');
    });
  });
}
