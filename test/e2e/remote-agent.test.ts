import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { createPostgresDatabase, natsNamespace } from '../support/engines.ts';
import { findLeaks, makeTestNetwork } from '../support/host-leaks.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';

/**
 * Fleetyard spread out: the control plane on PostgreSQL and NATS JetStream with no embedded agent,
 * and the agent as its own process (`fleetyard agent`) that enrols over NATS with a join token
 * an admin made. Appliances are placed on the agent's host, run, and are released, exactly as in
 * the embedded mode; a restarted agent needs no token and is the same host.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'fy-remote-'));
const agentDir = join(dataDir, 'agent');
const ids: string[] = [];
const net = await makeTestNetwork();
const db = await createPostgresDatabase();
const nats = natsNamespace();
let server: ServerProcess | undefined;
let agent: ServerProcess | undefined;

after(async () => {
  try {
    if (server) {
      const api = new TestApi(server.url, server.token);
      await api.deleteAppliancesQuietly(ids);
    }
    await agent?.kill('SIGTERM');
    await server?.kill('SIGTERM');
  } finally {
    await net.cleanup();
    await nats.cleanup();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a control plane on PostgreSQL + NATS drives an agent running as its own process', async () => {
  const common = { FLEETYARD_NATS_URL: nats.url, FLEETYARD_NATS_NAMESPACE: nats.namespace };
  server = new ServerProcess({
    ...common,
    FLEETYARD_DATA_DIR: dataDir,
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_DATABASE_URL: db.url,
    FLEETYARD_EMBEDDED_AGENT: 'false',
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
  });
  await server.start();
  const api = new TestApi(server.url, server.token);
  const health = await api.ok<{ database: string }>('GET', '/healthz');
  assert.equal(health.database, 'postgres');
  assert.equal((await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources')).items.length, 0, 'no host before the agent joins');

  const agentEnv = { ...common, FLEETYARD_DATA_DIR: agentDir, FLEETYARD_STORAGE_DIR: join(dataDir, 'storage', 'local'), FLEETYARD_MACHINE_ID: `test-${nats.namespace}` };
  const noToken = new ServerProcess(agentEnv, ['agent'], /registered as host/);
  await assert.rejects(noToken.start(), /FY_HOST_NOT_ENROLLED/, 'an agent without a join token is not let in');
  const joinToken = await api.ok<{ id: string; token: string }>('POST', '/api/v1/hosts/join-tokens', { ttlSeconds: 600, note: 'remote agent test' });
  agent = new ServerProcess({ ...agentEnv, FLEETYARD_JOIN_TOKEN: joinToken.token }, ['agent'], /registered as host/);
  await agent.start();
  const hosts = (await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
  assert.equal(hosts.length, 1);
  assert.ok(hosts[0]?.spec.virtualizations.includes('container'));
  const tokens = await api.ok<{ items: Array<{ id: string; state: string; usedByHostId: string | null }> }>('GET', '/api/v1/hosts/join-tokens');
  assert.deepEqual(tokens.items.map((t) => [t.id, t.state, t.usedByHostId]), [[joinToken.id, 'used', hosts[0]?.id]]);

  // Restarted without the token, it is the same host: it kept its identity and enrolment.
  await agent.kill('SIGTERM');
  agent = new ServerProcess(agentEnv, ['agent'], /registered as host/);
  await agent.start();
  assert.match(agent.output, new RegExp(`registered as host ${hosts[0]?.id}`));
  assert.equal((await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items.length, 1);

  const image = await api.uploadImage('base', baseImageTar());
  const created = await Promise.all(
    Array.from({ length: 3 }, (_, i) => api.ok<Appliance>('POST', '/api/v1/appliances', { name: `remote-${i}`, imageId: image.id })),
  );
  ids.push(...created.map((a) => a.id));
  await api.waitAppliances(ids, (a) => a?.status.phase === 'running', 'all 3 running on the remote agent');
  for (const id of ids) {
    const a = await api.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
    assert.equal(a.status.hostId, hosts[0]?.id);
    const page = await fetch(`http://${a.status.address}/`).then((r) => r.text());
    assert.match(page, new RegExp(a.spec.hostname));
  }
  const logs = await fetch(`${server.url}/api/v1/appliances/${ids[0]}/logs`, { headers: { authorization: `Bearer ${server.token}` } }).then((r) => r.text());
  assert.match(logs, /fleetyard-appliance .* up/, 'console output travels back over NATS');

  await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
  await api.waitAppliances(ids, (a) => a === undefined, 'all deleted');
  assert.deepEqual(await findLeaks(ids, join(agentDir, 'run', 'container'), { storageRoot: join(dataDir, 'storage', 'local') }), []);
});
