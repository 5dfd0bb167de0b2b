import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../agent/agent.ts';
import { AgentClient } from '../agent/agent-client.ts';
import { buildApi } from '../api/app.ts';
import { EventHub } from '../api/event-hub.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import { MemoryBus } from '../bus/memory-bus.ts';
import { NatsBus } from '../bus/nats-bus.ts';
import { OutboxRelay } from '../bus/outbox-relay.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { uuidV7Ids, type IdSource } from '../domain/ids.ts';
import { builtinDrivers } from '../drivers/catalog.ts';
import type { Driver } from '../drivers/driver.ts';
import { ensureBootstrapAdmin } from '../identity/bootstrap.ts';
import { IdentityService } from '../identity/identity-service.ts';
import { ApplianceReconciler } from '../reconcile/appliance-reconciler.ts';
import { Controller } from '../reconcile/controller.ts';
import { LocalStorage } from '../storage/local-storage.ts';
import { Store } from '../store/store.ts';
import { DEFAULTS, parseListen } from './config.ts';
import { HostRegistry } from './host-registry.ts';
import { seedConfiguredObjects } from './seed.ts';

export interface ControlPlaneOptions {
  dataDir: string;
  /** HOST:PORT; port 0 picks a free one. */
  listen?: string;
  databaseUrl?: string | undefined;
  natsUrl?: string | undefined;
  /** Namespace on a shared NATS server (stream, event subjects and command subjects). */
  natsNamespace?: string | undefined;
  log?: boolean;
  clock?: Clock;
  ids?: IdSource;
  /** Drivers of the embedded agent; the built-in catalog by default. */
  drivers?: Driver[];
  /** Run the local machine's agent in this process (the embedded default). Without it, agents
   * connect over NATS (`fleetyard agent`). */
  embeddedAgent?: boolean;
  networkBridge?: string;
  networkCidr?: string;
  cpuAllocationRatio?: number;
  reconcileConcurrency?: number;
  /** Login attempts per client address per minute (default 10). */
  loginRateLimit?: number;
}

export interface ControlPlane {
  url: string;
  /** The bootstrap admin's API token (from DATA_DIR/admin.token), when this installation has one. */
  adminToken: string | undefined;
  identity: IdentityService;
  app: FastifyInstance;
  store: Store;
  bus: Bus;
  agent: Agent | undefined;
  appliances: Controller;
  relay: OutboxRelay;
  stop(): Promise<void>;
}

/**
 * Wires one control plane: store + outbox → bus → reconcilers → agent → status → events, with
 * the HTTP API in front. Starting it twice on the same data directory after a crash is the
 * recovery path: the relay republishes what was committed, and every appliance is reconciled once
 * at start, so whatever the crash interrupted converges.
 */
export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const dataDir = resolve(opts.dataDir);
  if (opts.embeddedAgent === false && !opts.natsUrl) {
    throw new Error('without the embedded agent, agents can only reach the control plane over NATS: set FLEETYARD_NATS_URL');
  }
  mkdirSync(dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? uuidV7Ids;
  const log = opts.log ? (msg: string, err?: unknown) => console.error(`fleetyard: ${msg}`, err ?? '') : () => undefined;

  const store = await Store.open(opts.databaseUrl ?? join(dataDir, 'fleetyard.db'), ids, clock);
  const bus: Bus = opts.natsUrl
    ? await NatsBus.connect(opts.natsUrl, { namespace: opts.natsNamespace })
    : new MemoryBus();
  const storage = new LocalStorage(join(dataDir, 'storage', 'local'));
  const { storageId } = await seedConfiguredObjects(store, {
    storagePath: join(dataDir, 'storage', 'local'),
    networkBridge: opts.networkBridge ?? DEFAULTS.networkBridge,
    networkCidr: opts.networkCidr ?? DEFAULTS.networkCidr,
  });

  const identity = new IdentityService(store);
  const adminToken = await ensureBootstrapAdmin(store, identity, dataDir);

  const relay = new OutboxRelay(store, bus, clock, (e) => log('outbox relay failed', e));
  store.onCommit(() => relay.kick());
  const agents = new AgentClient(bus);
  const appliances = new Controller(new ApplianceReconciler(store, agents, opts.cpuAllocationRatio ?? 16), {
    concurrency: opts.reconcileConcurrency ?? 16,
    onError: (kind, id, e) => log(`reconcile ${kind} ${id}: ${e instanceof Error ? e.message : String(e)}`),
  });
  const hub = new EventHub();

  const wakePending = async () => {
    for (const a of await store.read.appliances.all({ phase: 'pending' })) appliances.enqueue(a.id);
  };
  const subs: Subscription[] = [];
  subs.push(
    await bus.subscribe('control-plane', async (e) => {
      hub.deliver(e);
      if (e.kind === 'appliance') appliances.enqueue(e.objectId);
      if (e.kind === 'resource') await wakePending();
    }),
  );
  const registry = new HostRegistry(store, bus, () => void wakePending());
  await registry.start();
  relay.start();

  // The embedded agent registers before reconciling starts, so the first pass after a restart
  // finds its host answering instead of failing every appliance once.
  let agent: Agent | undefined;
  if (opts.embeddedAgent ?? true) {
    agent = new Agent({
      bus,
      drivers: opts.drivers ?? builtinDrivers({ stateDir: join(dataDir, 'run') }),
      storage,
      dataDir,
      log,
    });
    await agent.start();
  }
  appliances.start();
  for (const a of await store.read.appliances.all()) appliances.enqueue(a.id);

  const app = await buildApi(
    { store, agents, storage, defaultStorageId: async () => storageId, events: hub, identity, loginRateLimit: opts.loginRateLimit ?? 10 },
    { logger: opts.log ?? false },
  );
  const { host, port } = parseListen(opts.listen ?? DEFAULTS.listen);
  const address = await app.listen({ host, port });

  return {
    url: address,
    adminToken,
    identity,
    app,
    store,
    bus,
    agent,
    appliances,
    relay,
    async stop() {
      await app.close();
      await agent?.stop();
      await appliances.stop();
      await relay.stop();
      await registry.stop();
      await Promise.all(subs.map((s) => s.close()));
      await bus.close();
      await store.close();
    },
  };
}
