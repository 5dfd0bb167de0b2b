import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantBridge } from '../../../src/cloud/tenant-networks.ts';
import { removeBridge } from '../../../src/network/bridge.ts';
import { TestApi } from '../api.ts';
import { createPostgresDatabase, natsNamespace } from '../engines.ts';
import { makeTestNetwork, type TestNetwork } from '../host-leaks.ts';
import { freePort, ServerProcess } from '../server-process.ts';

/**
 * A whole installation a soak can kill: `fleetyard server` as its own process, and on PostgreSQL
 * + NATS also `fleetyard agent` as another (enrolled once with a join token, as an operator
 * would). Both are ended with SIGKILL and started again on the same data directories.
 */
export type EnginePair = 'sqlite+memory' | 'postgres+nats';

export interface Installation {
  pair: EnginePair;
  api: TestApi;
  /** Where the container driver keeps its runc state (the agent's data dir on PostgreSQL + NATS). */
  runcRoot: string;
  containerStateDir: string;
  storageRoot: string;
  databaseUrl: string;
  killServer(): Promise<void>;
  killAgent(): Promise<void>;
  /** Starts whatever is not running. */
  restart(): Promise<void>;
  /** True when every process is up. */
  up(): boolean;
  /** What the processes printed (for a failure message). */
  output(): string;
  cleanup(): Promise<void>;
}

export async function startInstallation(pair: EnginePair): Promise<Installation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fy-soak-'));
  const agentDir = mkdtempSync(join(tmpdir(), 'fy-soak-agent-'));
  const net: TestNetwork = await makeTestNetwork();
  // The soaker's private network: a range and VNIs (so bridge names) of this installation's own,
  // removed at the end even though the server that made its bridge was killed.
  const tenantRange: TestNetwork = await makeTestNetwork();
  const firstVni = 0x200000 + (randomBytes(3).readUIntBE(0, 3) % 0xd00000);
  const pg = pair === 'postgres+nats' ? await createPostgresDatabase() : undefined;
  const nats = pair === 'postgres+nats' ? natsNamespace() : undefined;
  const databaseUrl = pg?.url ?? join(dataDir, 'fleetyard.db');
  const server = new ServerProcess({
    FLEETYARD_DATA_DIR: dataDir,
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
    FLEETYARD_TENANT_POOL: tenantRange.cidr,
    FLEETYARD_TENANT_PREFIX: '26',
    FLEETYARD_TENANT_FIRST_VNI: String(firstVni),
    ...(pg && nats ? { FLEETYARD_DATABASE_URL: pg.url, FLEETYARD_NATS_URL: nats.url, FLEETYARD_NATS_NAMESPACE: nats.namespace, FLEETYARD_EMBEDDED_AGENT: 'false' } : {}),
  });
  let agent: ServerProcess | undefined;
  /** Deletes every appliance through the control plane (so the host is cleaned the normal way), then ends all. */
  const deleteAll = async (api: TestApi): Promise<void> => {
    const end = Date.now() + 90_000;
    while (Date.now() < end) {
      const r = await api.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/appliances?limit=1000').catch(() => undefined);
      if (!r || r.status !== 200) break;
      if (r.body.items.length === 0) return;
      for (const a of r.body.items) await api.call('DELETE', `/api/v1/appliances/${a.id}`).catch(() => undefined);
      await new Promise((res) => setTimeout(res, 500));
    }
  };
  let api: TestApi | undefined;
  const cleanup = async () => {
    if (api) {
      if (server.exitCode !== null) await server.start().catch(() => undefined);
      if (agent && agent.exitCode !== null) await agent.start().catch(() => undefined);
      await deleteAll(api);
    }
    await agent?.kill('SIGKILL');
    await server.kill('SIGKILL');
    await nats?.cleanup().catch(() => undefined);
    await pg?.drop().catch(() => undefined);
    await net.cleanup();
    // A /24 holds four /26 tenant ranges: their bridges, if the server made them.
    for (let v = firstVni; v < firstVni + 4; v++) await removeBridge(tenantBridge(v)).catch(() => undefined);
    await tenantRange.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(agentDir, { recursive: true, force: true });
  };
  try {
    await server.start();
    api = new TestApi(server.url, server.token);
    if (nats) {
      const join_ = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { ttlSeconds: 600, note: 'soak agent' });
      agent = new ServerProcess(
        {
          FLEETYARD_NATS_URL: nats.url,
          FLEETYARD_NATS_NAMESPACE: nats.namespace,
          FLEETYARD_DATA_DIR: agentDir,
          FLEETYARD_STORAGE_DIR: join(dataDir, 'storage', 'local'),
          FLEETYARD_MACHINE_ID: `soak-${nats.namespace}`,
          FLEETYARD_JOIN_TOKEN: join_.token,
        },
        ['agent'],
        /registered as host/,
      );
      await agent.start();
    }
    const stateDir = join(agent ? agentDir : dataDir, 'run', 'container');
    return {
      pair,
      api: api as TestApi,
      runcRoot: join(stateDir, 'runc'),
      containerStateDir: stateDir,
      storageRoot: join(dataDir, 'storage', 'local'),
      databaseUrl,
      killServer: () => server.kill('SIGKILL'),
      killAgent: async () => {
        await agent?.kill('SIGKILL');
      },
      async restart() {
        if (server.exitCode !== null) await server.start();
        if (agent && agent.exitCode !== null) await agent.start();
      },
      up: () => server.exitCode === null && (!agent || agent.exitCode === null),
      output: () => `${server.output.slice(-3000)}\n--- agent ---\n${agent?.output.slice(-3000) ?? ''}`,
      cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
