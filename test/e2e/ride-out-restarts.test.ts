import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';
import { startPrivateNats, type PrivateNats } from '../support/services/private-nats.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/services/private-postgres.ts';

/**
 * The database and the broker restart under a running installation: a control plane (its own
 * process, on a PostgreSQL and a NATS server of this test's own) and an agent (its own process,
 * over that NATS). While PostgreSQL is down the API answers FY_STORE_UNAVAILABLE and every timer
 * that reads the store fails (the power monitor is set to read every half second, which once
 * crashed the process from a `void` promise); while NATS is down commands cannot reach the agent.
 * Neither process may exit or leak an unhandled rejection, and once each service is back the
 * installation converges: changes asked for are carried out.
 */
let pg: PrivatePostgres | undefined;
let nats: PrivateNats | undefined;
let server: ServerProcess | undefined;
let agent: ServerProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'fy-ride-'));
const agentDir = mkdtempSync(join(tmpdir(), 'fy-ride-agent-'));

after(async () => {
  await agent?.kill('SIGTERM');
  await server?.kill('SIGTERM');
  await nats?.cleanup();
  pg?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(agentDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function assertAlive(p: ServerProcess, name: string): void {
  assert.equal(p.exitCode, null, `${name} exited:\n${p.output.slice(-3000)}`);
  assert.doesNotMatch(p.output, /unhandled rejection|uncaught exception/i, `${name} let a failure escape:\n${p.output.slice(-3000)}`);
}

test('a control plane and an agent ride out a PostgreSQL restart and a NATS restart, and converge', async () => {
  pg = await startPrivatePostgres();
  nats = await startPrivateNats();
  server = new ServerProcess({
    FLEETYARD_DATA_DIR: dataDir,
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_DATABASE_URL: pg.url,
    FLEETYARD_NATS_URL: nats.url,
    FLEETYARD_EMBEDDED_AGENT: 'false',
    FLEETYARD_POWER_POLL_SECONDS: '0.5',
  });
  await server.start();
  const api = new TestApi(server.url, server.token);
  const joinToken = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { ttlSeconds: 600, note: 'ride-out test' });
  agent = new ServerProcess(
    { FLEETYARD_NATS_URL: nats.url, FLEETYARD_DATA_DIR: agentDir, FLEETYARD_STORAGE_DIR: join(dataDir, 'storage', 'local'), FLEETYARD_MACHINE_ID: `ride-${Date.now()}`, FLEETYARD_JOIN_TOKEN: joinToken.token },
    ['agent'],
    /registered as host/,
  );
  await agent.start();
  const image = await api.uploadImage('base', baseImageTar());
  const create = (name: string) => api.ok<Appliance>('POST', '/api/v1/appliances', { name, imageId: image.id, requirements: { virtualization: 'sim' } });
  const first = await create('before');
  await api.waitAppliances([first.id], (a) => a?.status.phase === 'running', 'running before the restarts');

  // PostgreSQL goes away for a few seconds: long enough for heartbeats, the power monitor and the
  // outbox relay to fail against it several times.
  pg.stop();
  const during = await api.call<{ error: { code: string } }>('GET', '/api/v1/appliances').catch((e: unknown) => {
    throw new Error(`the API did not answer while PostgreSQL was down (control plane exit code ${server?.exitCode}):\n${server?.output.slice(-4000)}`, { cause: e });
  });
  assert.equal(during.status, 503);
  assert.equal(during.body.error.code, 'FY_STORE_UNAVAILABLE');
  await sleep(4_000);
  assertAlive(server, 'the control plane');
  assertAlive(agent, 'the agent');
  pg.start();

  // Back: a stop and a new appliance are carried out.
  const deadline = Date.now() + 30_000;
  while ((await api.call('GET', '/healthz')).status !== 200 || (await api.call('GET', '/api/v1/appliances')).status !== 200) {
    assert.ok(Date.now() < deadline, 'the API answers again after PostgreSQL is back');
    await sleep(200);
  }
  await api.ok('POST', `/api/v1/appliances/${first.id}/stop`);
  const second = await create('after-pg');
  await api.waitAppliances([first.id], (a) => a?.status.phase === 'stopped', 'stopped after the PostgreSQL restart');
  await api.waitAppliances([second.id], (a) => a?.status.phase === 'running', 'created after the PostgreSQL restart');

  // NATS goes away: nothing reaches the agent until it is back, then everything does.
  await nats.stop();
  await api.ok('POST', `/api/v1/appliances/${first.id}/start`);
  await sleep(3_000);
  assertAlive(server, 'the control plane');
  assertAlive(agent, 'the agent');
  await nats.start();
  await api.waitAppliances([first.id], (a) => a?.status.phase === 'running', 'started after the NATS restart', 60_000);
  const third = await create('after-nats');
  await api.waitAppliances([third.id], (a) => a?.status.phase === 'running', 'created after the NATS restart', 60_000);

  const ids = [first.id, second.id, third.id];
  await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
  await api.waitAppliances(ids, (a) => a === undefined, 'all deleted');
  assertAlive(server, 'the control plane');
  assertAlive(agent, 'the agent');
});
