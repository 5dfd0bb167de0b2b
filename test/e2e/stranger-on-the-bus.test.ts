import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { Observation, RuntimeSpec } from '../../src/drivers/driver.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { natsNamespace } from '../support/engines.ts';
import { eventually } from '../support/eventually.ts';
import { throwawayTransitKey } from '../support/throwaway-keys.ts';

/**
 * A stranger on an open NATS server (no TLS, no users: the worst case, and what the shared test
 * server is) who knows a host's id and machine id, against a control plane whose embedded agent
 * joined over that NATS. Speaking the protocol as it is on the wire, the stranger tries what
 * posing as the host would take:
 *  - registering again with the host's machine id and a key of its own, so that secrets would be
 *    sealed to it: the host's key must stay the one it enrolled with;
 *  - subscribing to the host's command subjects, plainly and in the queue group the agent once
 *    used: it must read nothing of the commands, and must not take a share of them (every
 *    command still reaches the host's driver);
 *  - answering every command at once with a forged observation: none may be taken.
 * Only the simulated driver runs behind the agent; what is under test is the bus between them.
 */
class CountingSim extends SimDriver {
  ensures = 0;
  override ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    this.ensures++;
    return super.ensure(spec, desired);
  }
}

const FORGED = 'forged by a stranger';
const FORGED_START = '2001-01-01T00:00:00.000Z';
const dataDir = mkdtempSync(join(tmpdir(), 'fy-stranger-'));
const nats = natsNamespace();
const sim = new CountingSim();
let cp: ControlPlane;
let api: TestApi;
let stranger: NatsConnection;
/** Ensure commands the control plane sent to the host (counted as they enter the bus). */
let sentEnsures = 0;

before(async () => {
  const third = 1 + ((randomBytes(1)[0] as number) % 168);
  cp = await startControlPlane({
    dataDir,
    listen: '127.0.0.1:0',
    natsUrl: nats.url,
    natsNamespace: nats.namespace,
    drivers: [sim],
    networkBridge: `fyt${randomBytes(3).toString('hex')}`,
    networkCidr: `169.254.${third}.0/24`,
  });
  const request = cp.bus.request.bind(cp.bus);
  cp.bus.request = (...args: Parameters<typeof request>) => {
    if (args[0].endsWith('.ensure')) sentEnsures++;
    return request(...args);
  };
  api = new TestApi(cp.url, cp.adminToken);
  stranger = await connect({ servers: nats.url });
});

after(async () => {
  try {
    await stranger?.close();
    await cp?.stop();
  } finally {
    await nats.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** The host the embedded agent registered, and its namespaced command subjects. */
async function theHost(): Promise<{ host: Resource; commands: string }> {
  const [host] = (await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
  assert.ok(host, 'the embedded agent joined over NATS');
  return { host, commands: `${nats.namespace}.fy.agent.${host.id}.>` };
}

let image: Image | undefined;
let made = 0;
/** Creates `n` sim appliances and waits until they run. */
async function runAppliances(n: number): Promise<string[]> {
  image ??= await api.uploadImage('base', baseImageTar());
  const created = await Promise.all(
    Array.from({ length: n }, () => api.ok<Appliance>('POST', '/api/v1/appliances', { name: `stranger-${made++}`, imageId: (image as Image).id, requirements: { virtualization: 'sim' } })),
  );
  const ids = created.map((a) => a.id);
  await api.waitAppliances(ids, (a) => a?.status.phase === 'running', 'the appliances running', 120_000);
  return ids;
}

test('re-registering with a known machine id and a key of its own does not replace the host\'s key', async () => {
  const { host } = await theHost();
  const keyBefore = host.status.facts.transitKey;
  assert.equal(typeof keyBefore, 'string');
  const rogueKey = throwawayTransitKey('fy-stranger-key-');
  const facts = { ...host.status.facts, transitKey: rogueKey.publicKey };
  const register = `${nats.namespace}.fy.control.hosts.register`;
  await stranger.request(register, JSON.stringify({ machineId: host.status.facts.machineId, facts }), { timeout: 10_000 }).catch(() => undefined);
  const now = (await api.ok<Resource>('GET', `/api/v1/resources/${host.id}`)).status.facts;
  assert.equal(now.transitKey, keyBefore, 'a registration replaced the key that secrets are sealed to');
});

test("a second subscriber in the host's queue group takes no share of its commands", async (t) => {
  const { commands } = await theHost();
  // Silent: a command it took from the host would never be answered.
  const sub = stranger.subscribe(commands, { queue: 'fleetyard', callback: () => undefined });
  t.after(() => sub.unsubscribe());
  await stranger.flush();
  const before = { sent: sentEnsures, got: sim.ensures };
  await runAppliances(4);
  await eventually(
    () => sim.ensures - before.got >= sentEnsures - before.sent,
    `the host's driver to get every ensure command sent (${sentEnsures - before.sent} sent, ${sim.ensures - before.got} arrived)`,
    20_000,
    50,
  );
});

test("a stranger who answers the host's commands first gets no forged answer taken", async (t) => {
  const { commands } = await theHost();
  let answered = 0;
  const sub = stranger.subscribe(commands, {
    callback: (err, m: Msg) => {
      if (err) return;
      answered++;
      m.respond(JSON.stringify({ ok: true, value: { state: 'running', pid: 4242, message: FORGED, startedAt: FORGED_START, handle: { forgedBy: FORGED } } }));
    },
  });
  t.after(() => sub.unsubscribe());
  await stranger.flush();
  const ids = await runAppliances(3);
  assert.ok(answered > 0, 'the stranger answered');
  for (const id of ids) {
    const a = await api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
    assert.ok(a.status.message !== FORGED && a.status.startedAt !== FORGED_START && a.status.handle.forgedBy === undefined, `appliance ${a.name} took the forged observation`);
  }
  const events = await cp.store.read.events.list({ limit: 1000 });
  assert.ok(!events.some((e) => e.message.includes(FORGED)), 'an event carries the forged observation');
});

test("a stranger subscribed to the host's command subjects reads none of its commands", async (t) => {
  const { commands } = await theHost();
  const seen: string[] = [];
  const sub = stranger.subscribe(commands, { callback: (err, m: Msg) => void (err ?? seen.push(m.string())) });
  t.after(() => sub.unsubscribe());
  await stranger.flush();
  const ids = await runAppliances(2);
  await eventually(() => seen.length > 0, 'the stranger to see commands go by');
  const readable = seen.filter((raw) => ids.some((id) => raw.includes(id)) || raw.includes('"applianceId"'));
  assert.deepEqual(readable.map((r) => r.slice(0, 160)), [], 'commands the stranger could read');
});
