import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AgentChannel } from '../../src/agent/agent-channel.ts';
import { AgentClient } from '../../src/agent/agent-client.ts';
import { IdentityKey } from '../../src/agent/identity-key.ts';
import { subjects, type CommandContent } from '../../src/agent/protocol.ts';
import { CONTROL_PLANE, signMessage, verifyMessage, type SignedEnvelope } from '../../src/agent/signed-message.ts';
import { requestSigned } from '../../src/agent/signed-rpc.ts';
import { sealFor, TransitKey } from '../../src/agent/transit-key.ts';
import { MemoryBus } from '../../src/bus/memory-bus.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import { FleetyardError, type ErrorCode } from '../../src/domain/errors.ts';
import { throwawayTransitKey } from '../support/throwaway-keys.ts';

/**
 * An agent serves only what the control plane sent to it: signed with the pinned control-plane
 * key, fresh, once, sealed to its transit key and naming this host. And the control plane takes
 * a reply only when the host it asked signed it.
 */
const hasCode = (code: ErrorCode) => (e: unknown) => e instanceof FleetyardError && e.code === code;
const HOST_A = '01900000-0000-7000-8000-00000000000a';
const HOST_B = '01900000-0000-7000-8000-00000000000b';

function setUp(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'fy-channel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new FakeClock(new Date('2030-01-01T00:00:00Z'));
  const bus = new MemoryBus();
  t.after(() => bus.close());
  const cpKey = IdentityKey.ephemeral();
  const identity = IdentityKey.forDataDir(dir);
  const transit = TransitKey.forDataDir(dir);
  const refusals: string[] = [];
  const channel = new AgentChannel(bus, identity, transit, HOST_A, cpKey.publicKey, clock, (m) => refusals.push(m));
  let served = 0;
  const ready = channel.serve('list', async () => ({ sim: [`served-${++served}`] }));
  /** Sends `env` on host A's list subject, taking only a reply host A signed. */
  const send = (env: SignedEnvelope) =>
    requestSigned(bus, subjects.agent(HOST_A, 'list'), env, 1_000, (reply, subject) => verifyMessage(reply, subject, identity.publicKey, clock.now()));
  const command = (content: CommandContent, opts: { key?: IdentityKey; outerFor?: string; sealTo?: string; at?: Date } = {}) =>
    signMessage(
      opts.key ?? cpKey,
      CONTROL_PLANE,
      subjects.agent(HOST_A, 'list'),
      { for: opts.outerFor ?? HOST_A, sealed: sealFor(opts.sealTo ?? transit.publicKey, JSON.stringify(content)) },
      opts.at ?? clock.now(),
    );
  return { clock, bus, cpKey, identity, transit, refusals, ready, send, command, servedCount: () => served };
}

test('a command from the control plane, sealed to this host and naming it, is served once', async (t) => {
  const s = setUp(t);
  await s.ready;
  const env = s.command({ for: HOST_A, verb: 'list', body: {} });
  assert.deepEqual(await s.send(env), { sim: ['served-1'] });
  await assert.rejects(s.send(env), hasCode('FY_MESSAGE_REFUSED'), 'the same command again is a replay');
  assert.equal(s.servedCount(), 1);
});

test('an agent refuses a command for another host, sealed to another key, signed by a stranger, or stale', async (t) => {
  const s = setUp(t);
  await s.ready;
  const other = throwawayTransitKey('fy-channel-other-');
  const cases: Array<[string, SignedEnvelope]> = [
    ['sealed content for host B', s.command({ for: HOST_B, verb: 'list', body: {} })],
    ['addressed to host B outside', s.command({ for: HOST_A, verb: 'list', body: {} }, { outerFor: HOST_B })],
    ['another verb inside', s.command({ for: HOST_A, verb: 'destroy', body: {} })],
    ['sealed to another key', s.command({ for: HOST_A, verb: 'list', body: {} }, { sealTo: other.publicKey })],
    ['signed by a stranger as the control plane', s.command({ for: HOST_A, verb: 'list', body: {} }, { key: IdentityKey.ephemeral() })],
    ['ten minutes old', s.command({ for: HOST_A, verb: 'list', body: {} }, { at: new Date(s.clock.now().getTime() - 600_000) })],
  ];
  for (const [what, env] of cases) await assert.rejects(s.send(env), hasCode('FY_MESSAGE_REFUSED'), what);
  assert.equal(s.servedCount(), 0, 'nothing was served');
  assert.equal(s.refusals.length, cases.length, 'each refusal is logged');
});

test('the control plane takes a reply only when the host it asked signed it', async (t) => {
  const s = setUp(t);
  await s.ready;
  const keysOf = (identityKey: string) => async () => ({ identityKey, transitKey: s.transit.publicKey });
  const client = new AgentClient(s.bus, { key: s.cpKey, keysOf: keysOf(s.identity.publicKey), clock: s.clock, timeoutMs: 1_000 });
  assert.deepEqual(await client.list(HOST_A), { sim: ['served-1'] });
  // Believing host A holds another identity, the same agent's signed answer is not taken.
  const misled = new AgentClient(s.bus, { key: s.cpKey, keysOf: keysOf(IdentityKey.ephemeral().publicKey), clock: s.clock, timeoutMs: 1_000 });
  await assert.rejects(misled.list(HOST_A), hasCode('FY_AGENT_UNREACHABLE'));
  const unknown = new AgentClient(s.bus, { key: s.cpKey, keysOf: async () => undefined, clock: s.clock });
  await assert.rejects(unknown.list(HOST_A), hasCode('FY_HOST_NOT_ENROLLED'));
});
