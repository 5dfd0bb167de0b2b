import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { IdentityKey } from '../../src/agent/identity-key.ts';
import { subjects } from '../../src/agent/protocol.ts';
import { asEnvelope, CONTROL_PLANE, signMessage, verifyMessage, type SignedEnvelope } from '../../src/agent/signed-message.ts';
import { replySubject } from '../../src/agent/signed-rpc.ts';
import { AGENT_INBOX_PREFIX, NatsBus } from '../../src/bus/nats-bus.ts';
import { natsConnectOptions } from '../../src/bus/nats-security.ts';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { startSecureNats, type SecureNats } from '../support/secure-nats-server.ts';
import { ServerProcess } from '../support/server-process.ts';
import { throwawayTransitKey } from '../support/throwaway-keys.ts';

/**
 * Fleetyard on a NATS server run from docs/nats-server.conf: TLS with client certificates and
 * authorization required, each kind of client limited to its subjects. The test starts its own
 * nats-server (JetStream on, store in a temp dir) on a free loopback port and shows:
 *  - no certificate, a certificate of another CA, or no user: no connection at all;
 *  - with credentials, a control plane and an agent process that enrolled with a join token run
 *    an appliance (sim driver) end to end;
 *  - a stranger holding the agents' NATS credentials and knowing the host's id and machine id,
 *    but not enrolled, can neither read the enrolment subject, nor register as the host, nor
 *    replace its keys by enrolling, nor read its commands, nor get a forged reply taken.
 */
const ADMIN_NOTE = 'secure nats test';

let nats: SecureNats;
let cp: ControlPlane | undefined;
let agent: ServerProcess | undefined;
let api: TestApi;
let hostId: string;
const dataDir = mkdtempSync(join(tmpdir(), 'fy-secure-nats-cp-'));
const machineId = `secure-nats-${randomBytes(4).toString('hex')}`;
const strangers: NatsConnection[] = [];

before(async () => {
  nats = await startSecureNats();
});

after(async () => {
  try {
    for (const nc of strangers) await nc.close().catch(() => undefined);
    await agent?.kill('SIGTERM');
    await cp?.stop();
  } finally {
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const refusedConnect = { timeout: 3_000, reconnect: false, maxReconnectAttempts: 0 } as const;

/** A stranger's raw connection with the agents' credentials, as a copied agent config would give it. */
async function stranger(): Promise<NatsConnection> {
  const nc = await connect({ servers: nats.url, inboxPrefix: AGENT_INBOX_PREFIX, ...natsConnectOptions(nats.agent) });
  strangers.push(nc);
  return nc;
}

/** The control plane's signed answer to `request`, opened with the key the agent pinned. */
function openReply(msg: Msg, request: SignedEnvelope): { ok: boolean; error?: { code: string } } {
  const wire = msg.json<{ ok: boolean; value: unknown }>();
  const env = asEnvelope(wire.value);
  assert.ok(env, `a signed answer, got ${JSON.stringify(wire).slice(0, 200)}`);
  const v = verifyMessage(env, replySubject(request.nonce), IdentityKey.forDataDir(dataDir, 'control-plane.key').publicKey, new Date());
  assert.ok(v.ok && env.by === CONTROL_PLANE, 'signed by the control plane');
  return v.body as { ok: boolean; error?: { code: string } };
}

describe('Fleetyard on a NATS server that requires TLS and authorization', () => {
  it('lets no client in without a trusted certificate and a user, so none can subscribe', async () => {
    await assert.rejects(connect({ servers: nats.url, ...refusedConnect }), 'no TLS: refused');
    await assert.rejects(
      connect({ servers: nats.url, ...refusedConnect, tls: { ca: readFileSync(nats.ca, 'utf8') } }),
      'no client certificate: refused',
    );
    await assert.rejects(
      connect({ servers: nats.url, ...refusedConnect, tls: { ca: readFileSync(nats.ca, 'utf8'), cert: readFileSync(nats.foreignCert.cert, 'utf8'), key: readFileSync(nats.foreignCert.key, 'utf8') } }),
      'a certificate of another CA: refused',
    );
    const certOnly = { tlsCa: nats.agent.tlsCa, tlsCert: nats.agent.tlsCert, tlsKey: nats.agent.tlsKey };
    await assert.rejects(connect({ servers: nats.url, ...refusedConnect, ...natsConnectOptions(certOnly) }), /Authorization Violation/);
    await assert.rejects(
      connect({ servers: nats.url, ...refusedConnect, ...natsConnectOptions({ ...certOnly, user: 'fleetyard-control-plane', password: 'guessed' }) }),
      /Authorization Violation/,
    );
    await assert.rejects(NatsBus.connect(nats.url, { security: certOnly }), /Authorization Violation/, 'the bus itself says why');
  });

  it('runs an appliance through a control plane and an agent process enrolled with a join token', async () => {
    const third = 1 + ((randomBytes(1)[0] as number) % 168);
    cp = await startControlPlane({
      dataDir,
      listen: '127.0.0.1:0',
      natsUrl: nats.url,
      natsSecurity: nats.controlPlane,
      embeddedAgent: false,
      networkBridge: `fyt${randomBytes(3).toString('hex')}`,
      networkCidr: `169.254.${third}.0/24`,
    });
    api = new TestApi(cp.url, cp.adminToken);
    const token = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { ttlSeconds: 600, note: ADMIN_NOTE });
    const s = nats.agent;
    agent = new ServerProcess(
      {
        FLEETYARD_NATS_URL: nats.url,
        FLEETYARD_NATS_TLS_CA: s.tlsCa as string,
        FLEETYARD_NATS_TLS_CERT: s.tlsCert as string,
        FLEETYARD_NATS_TLS_KEY: s.tlsKey as string,
        FLEETYARD_NATS_NKEY_SEED: s.nkeySeedFile as string,
        FLEETYARD_JOIN_TOKEN: token.token,
        FLEETYARD_DATA_DIR: join(dataDir, 'agent'),
        FLEETYARD_STORAGE_DIR: join(dataDir, 'storage', 'local'),
        FLEETYARD_MACHINE_ID: machineId,
      },
      ['agent'],
      /registered as host/,
    );
    await agent.start();
    const [host] = (await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
    assert.ok(host?.spec.virtualizations.includes('sim'), 'the agent enrolled and registered');
    hostId = (host as Resource).id;

    const image = await api.uploadImage('base', baseImageTar());
    const a = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'secure-0', imageId: image.id, requirements: { virtualization: 'sim' } });
    await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'the appliance running on the enrolled agent');
    assert.equal((await api.ok<Appliance>('GET', `/api/v1/appliances/${a.id}`)).status.hostId, hostId);
  });

  it('keeps a stranger with agent credentials from registering, re-keying, reading or answering for the host', async () => {
    assert.ok(cp && hostId, 'runs after the end-to-end test');
    const store = cp.store;
    const keysBefore = await store.read.enrollment.hostKeys(hostId);
    assert.ok(keysBefore);
    const rogueIdentity = IdentityKey.ephemeral();
    const rogueTransit = throwawayTransitKey('fy-rogue-');
    const nc = await stranger();
    const problems: string[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') problems.push(String(s.error));
    })().catch(() => undefined);

    // Reading what agents send (join tokens travel there) or sending commands: not allowed.
    const denied: string[] = [];
    nc.subscribe(subjects.enroll, {
      callback: (err) => {
        if (err) denied.push(String(err));
      },
    });
    nc.publish(subjects.agent(hostId, 'destroy'), JSON.stringify({ applianceId: 'x' }));
    await nc.flush();
    await eventually(() => denied.length > 0 && problems.some((p) => /Permissions Violation for Publish/.test(p)), 'both permission violations');
    assert.match(denied[0] as string, /Permissions Violation for Subscription/);

    // Registering as the host: signed with its own key it is refused; unsigned it is not an answerable request.
    const host = (await store.read.resources.get(hostId)) as Resource;
    const facts = { ...host.status.facts, transitKey: rogueTransit.publicKey };
    const forged = signMessage(rogueIdentity, hostId, subjects.register, { machineId, facts }, new Date());
    assert.equal(openReply(await nc.request(subjects.register, JSON.stringify(forged), { timeout: 10_000 }), forged).error?.code, 'FY_MESSAGE_REFUSED');
    const legacy = await nc.request(subjects.register, JSON.stringify({ machineId, facts }), { timeout: 10_000 });
    assert.equal(legacy.json<{ value: unknown }>().value, null, 'an unsigned registration gets no answer');

    // Enrolling as the machine: the used token is spent; a fresh plain token cannot take an enrolled host.
    const enrolAs = async (token: string) => {
      const req = signMessage(rogueIdentity, '', subjects.enroll, { token, identityKey: rogueIdentity.publicKey, transitKey: rogueTransit.publicKey, machineId, facts }, new Date());
      return openReply(await nc.request(subjects.enroll, JSON.stringify(req), { timeout: 10_000 }), req).error?.code;
    };
    const fresh = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { ttlSeconds: 600 });
    assert.equal(await enrolAs(`fyj_${'0'.repeat(32)}_${'A'.repeat(43)}`), 'FY_JOIN_TOKEN_INVALID');
    assert.equal(await enrolAs(fresh.token), 'FY_HOST_ALREADY_ENROLLED');
    assert.deepEqual(await store.read.enrollment.hostKeys(hostId), keysBefore, 'the host keeps the keys it enrolled with');
    assert.equal((await store.read.resources.get(hostId))?.status.facts.transitKey, keysBefore.transit_key);

    // Listening on the host's command subjects (also in the queue group they once shared) and answering first.
    const seen: string[] = [];
    const answer = (err: Error | null, m: Msg) => {
      if (err) return;
      seen.push(m.string());
      const env = asEnvelope(JSON.parse(m.string()));
      const fake = { state: 'running', pid: 4242, message: 'forged by a stranger', startedAt: null, handle: {} };
      m.respond(JSON.stringify({ ok: true, value: env ? signMessage(rogueIdentity, hostId, replySubject(env.nonce), { ok: true, value: fake }, new Date()) : fake }));
      m.respond(JSON.stringify({ ok: true, value: fake }));
    };
    nc.subscribe(`fy.agent.${hostId}.>`, { callback: answer });
    nc.subscribe(`fy.agent.${hostId}.>`, { queue: 'fleetyard', callback: answer });
    await nc.flush();

    const image = (await api.ok<{ items: Image[] }>('GET', '/api/v1/images')).items[0] as Image;
    const b = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'secure-1', imageId: image.id, requirements: { virtualization: 'sim' } });
    await api.waitAppliances([b.id], (x) => x?.status.phase === 'running', 'the appliance running despite the stranger');
    await api.ok('POST', `/api/v1/appliances/${b.id}/stop`);
    await api.waitAppliances([b.id], (x) => x?.status.phase === 'stopped', 'the appliance stopped despite the stranger');
    await eventually(() => seen.length >= 2, 'the stranger to see the commands go by');
    for (const raw of seen) {
      assert.ok(!raw.includes(b.id) && !raw.includes('secure-1'), `a command readable by the stranger: ${raw.slice(0, 200)}`);
      const { sealed } = JSON.parse((JSON.parse(raw) as SignedEnvelope).payload) as { sealed: string };
      assert.throws(() => rogueTransit.open(sealed), 'sealed for the host, not for the stranger');
    }
    const events = await store.read.events.list({ objectId: b.id, limit: 1000 });
    assert.ok(!events.some((e) => e.message.includes('forged by a stranger')), 'no forged observation was taken');
    const shown = await api.ok<Appliance>('GET', `/api/v1/appliances/${b.id}`);
    assert.notEqual(shown.status.message, 'forged by a stranger');
    const hostEvents = await store.read.events.list({ objectId: hostId, limit: 1000 });
    assert.ok(hostEvents.some((e) => e.type === 'host.message-refused'), 'the refused registration is on record');
  });
});
