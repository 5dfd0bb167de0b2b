import { mkdirSync } from 'node:fs';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../agent/agent.ts';
import { AgentClient } from '../agent/agent-client.ts';
import { enrollmentFile } from '../agent/enrollment.ts';
import { machineId as readMachineId } from '../agent/fingerprint.ts';
import { IdentityKey } from '../agent/identity-key.ts';
import { TransitKey } from '../agent/transit-key.ts';
import { buildApi } from '../api/app.ts';
import { DEFAULT_CONSOLE_DIR } from '../api/web-console.ts';
import { createMetrics } from '../api/metrics.ts';
import { startMetricsListener } from './metrics-listener.ts';
import { FleetMetrics } from './fleet-metrics.ts';
import { EventHub } from '../api/event-hub.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import { MemoryBus } from '../bus/memory-bus.ts';
import { NatsBus } from '../bus/nats-bus.ts';
import type { NatsSecurity } from '../bus/nats-security.ts';
import { OutboxRelay } from '../bus/outbox-relay.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { uuidV7Ids, type IdSource } from '../domain/ids.ts';
import type { BootNetwork } from '../boot/boot-network.ts';
import { builtinDrivers } from '../drivers/catalog.ts';
import type { Driver } from '../drivers/driver.ts';
import type { Virtualization } from '../domain/meta.ts';
import { ensureBootstrapAdmin } from '../identity/bootstrap.ts';
import { IdentityService } from '../identity/identity-service.ts';
import { JoinTokens } from '../identity/join-tokens.ts';
import { BillingService } from '../billing/billing-service.ts';
import { ApplianceLimits } from '../cloud/appliance-limits.ts';
import { CapacityService } from '../cloud/capacity.ts';
import { QuotaService } from '../cloud/quota-service.ts';
import { RequestOrders } from '../cloud/request-orders.ts';
import { StackApplier } from '../stacks/stack-applier.ts';
import { StackPlanner } from '../stacks/stack-planner.ts';
import { TERMINAL_STATES } from '../domain/cloud-request.ts';
import { formatCcu } from '../domain/pricing.ts';
import { SecretBox } from '../identity/secret-box.ts';
import { ConfigSshKey } from '../identity/config-ssh-key.ts';
import { MailOutbox } from '../mail/outbox.ts';
import { MailSender } from '../mail/mail-sender.ts';
import type { RetryPolicy } from '../mail/retry-policy.ts';
import { smtpConfigFromEnv, type SmtpConfig } from '../mail/smtp-config.ts';
import { MailTemplates } from '../mail/templates.ts';
import { ApplianceReconciler } from '../reconcile/appliance-reconciler.ts';
import { RequestReconciler, type CloudPolicy } from '../reconcile/request-reconciler.ts';
import { billingPort } from './billing-port.ts';
import { Controller } from '../reconcile/controller.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy as ApplianceRetryPolicy } from '../reconcile/appliance-retry.ts';
import { ImportDirs } from '../storage/import-dirs.ts';
import { KernelStore } from '../storage/kernel-store.ts';
import { LocalStorage } from '../storage/local-storage.ts';
import { Store } from '../store/store.ts';
import { DEFAULTS, parseListen, type HaAdmissionMode, type PowerManagementConfig } from './config.ts';
import { PowerManager } from '../power/power-manager.ts';
import { IpmiPowerSwitch } from '../power/power-switch.ts';
import type { TenantPool } from '../cloud/tenant-networks.ts';
import { NetworkFabric } from './network-fabric.ts';
import { HaAdmissionCheck } from '../ha/admission-check.ts';
import { AgentMessages } from './agent-messages.ts';
import { HostEnrollment } from './host-enrollment.ts';
import { HostRegistry } from './host-registry.ts';
import { recoverInterruptedImports } from './import-recovery.ts';
import { hostByMachineId } from './host-rows.ts';
import { PowerMonitor } from './power-monitor.ts';
import { HostFailureDetector } from '../ha/failure-detector.ts';
import { fencerFor, type FencingMethod } from '../ha/fencing-method.ts';
import { HOST_LEASE_MS } from '../domain/host.ts';
import { RuntimeEventRecorder } from './runtime-events.ts';
import { CheckResultRecorder } from './check-results.ts';
import { seedConfiguredObjects } from './seed.ts';

export interface ControlPlaneOptions {
  /** The built web console served at `/` (default: web/dist of this checkout); null: none. */
  consoleDir?: string | null;
  dataDir: string;
  /** HOST:PORT; port 0 picks a free one. */
  listen?: string;
  databaseUrl?: string | undefined;
  natsUrl?: string | undefined;
  /** Namespace on a shared NATS server (stream, event subjects and command subjects). */
  natsNamespace?: string | undefined;
  /** TLS and credentials of the NATS connection (FLEETYARD_NATS_*). */
  natsSecurity?: NatsSecurity | undefined;
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
  /** Where cloud users' private networks get their ranges (default 169.254.128.0/17 in /26s). */
  tenantPool?: TenantPool;
  cpuAllocationRatio?: number;
  /** How the scheduler ranks the hosts that fit, unless a product or an appliance says (default spread). */
  placementPolicy?: PlacementPolicy;
  reconcileConcurrency?: number;
  /** Login attempts per client address per minute (default 10). */
  loginRateLimit?: number;
  /** Calls per minute one user may make to each route that creates work or sends mail (default 60). */
  userRateLimit?: number;
  /** Mail server; from FLEETYARD_SMTP_* when not given; none: mails wait as pending. */
  smtp?: SmtpConfig | undefined;
  mailRetry?: Partial<RetryPolicy>;
  /** Cloud approval policy and provisioning lead time. */
  policy?: Partial<CloudPolicy>;
  /** How often the embedded agent heartbeats (default 5 s). */
  heartbeatMs?: number;
  /** Networks on which this machine's boot service network-boots physical servers (none: no bare metal). */
  bootNetworks?: BootNetwork[];
  /** How often every physical server's BMC is asked for its power state (default 60 s). */
  powerPollMs?: number;
  /** How long a heartbeat keeps a host's lease (default 10 s, FLEETYARD_HOST_LEASE_SECONDS). */
  leaseMs?: number;
  /** How failed hosts are powered off (default: fence_ipmilan when installed, else ipmitool). */
  fencing?: FencingMethod;
  /** A bearer token that may read /metrics besides admins' API tokens (FLEETYARD_METRICS_TOKEN). */
  metricsToken?: string | undefined;
  /** A bearer token that may read the Puppet ENC besides admins' API tokens (FLEETYARD_PUPPET_TOKEN). */
  puppetToken?: string | undefined;
  /** How often the agents are asked for their hosts' and appliances' usage (default 15 s). */
  fleetMetricsMs?: number;
  /** Also serve /metrics, without credentials, on this HOST:PORT (FLEETYARD_METRICS_LISTEN). */
  metricsListen?: string | undefined;
  /** Other answer deadlines for starting and stopping, by virtualization (tests); see agent/deadlines.ts. */
  ensureDeadlines?: Partial<Record<Virtualization, number>>;
  /** Backoff of failing appliances (default: 1 s doubling to 5 min; 10 s at most while an agent is away). */
  retry?: Partial<ApplianceRetryPolicy>;
  /** Server directories admins may import images and kernels from (default DATA_DIR/import). */
  importDirs?: string[];
  /** Largest image upload or import, received and unpacked (default 64 GiB). */
  maxImageBytes?: number;
  /** Largest vmlinuz or initrd (default 512 MiB). */
  maxKernelFileBytes?: number;
  /** An upload that sends nothing for this long is cut off (default 5 minutes). */
  uploadStallMs?: number;
  /** Whether creating an HA appliance that would break N+1 is refused (default warn: FLEETYARD_HA_ADMISSION). */
  haAdmission?: HaAdmissionMode;
  /** How soon after a change the N+1 check recomputes (default 500 ms). */
  haCheckDebounceMs?: number;
  /** How often the N+1 check recomputes without a change (default 30 s). */
  haCheckIntervalMs?: number;
  /** Green IT: idle hosts powered off and on again through their BMCs (off unless `enabled`). */
  powerManagement?: Partial<PowerManagementConfig> & { intervalMs?: number; retryMs?: number };
}

export const DEFAULT_POLICY: CloudPolicy = { autoApproveMaxCcu: 100, provisionLeadMs: 120_000 };

export interface ControlPlane {
  url: string;
  /** The bootstrap admin's API token (from DATA_DIR/admin.token), when this installation has one. */
  adminToken: string | undefined;
  identity: IdentityService;
  app: FastifyInstance;
  store: Store;
  bus: Bus;
  agent: Agent | undefined;
  /** The separate metrics address's URL, when one is configured. */
  metricsUrl: string | undefined;
  /** How this control plane sends commands to agents (signed, sealed to each host). */
  agents: AgentClient;
  /** The hosts' and appliances' usage series of /metrics (refresh() runs a round now). */
  fleetMetrics: FleetMetrics;
  appliances: Controller;
  requests: Controller;
  billing: BillingService;
  mailSender: MailSender;
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
    ? await NatsBus.connect(opts.natsUrl, { namespace: opts.natsNamespace, security: opts.natsSecurity, name: 'fleetyard-control-plane' })
    : new MemoryBus();
  const storage = new LocalStorage(join(dataDir, 'storage', 'local'));
  const kernels = new KernelStore(storage.kernelsDir);
  const importDirs = (opts.importDirs ?? []).length > 0 ? (opts.importDirs as string[]).map((d) => resolve(d)) : [join(dataDir, 'import')];
  // The default import directory is made, for the admin alone; configured ones are the admin's.
  if (!opts.importDirs?.length) mkdirSync(importDirs[0] as string, { recursive: true, mode: 0o700 });
  const { storageId } = await seedConfiguredObjects(store, {
    storagePath: join(dataDir, 'storage', 'local'),
    networkBridge: opts.networkBridge ?? DEFAULTS.networkBridge,
    networkCidr: opts.networkCidr ?? DEFAULTS.networkCidr,
    bootNetworks: opts.bootNetworks,
  });

  await recoverInterruptedImports(store, storage, kernels, (m) => log(m));

  const identity = new IdentityService(store);
  const adminToken = await ensureBootstrapAdmin(store, identity, dataDir);

  const relay = new OutboxRelay(store, bus, clock, (e) => log('outbox relay failed', e));
  store.onCommit(() => relay.kick());
  // The control plane's signing key: agents pin it at enrolment and take commands signed with it only.
  const controlPlaneKey = IdentityKey.forDataDir(dataDir, 'control-plane.key');
  const leaseMs = opts.leaseMs ?? HOST_LEASE_MS;
  const agents = new AgentClient(bus, {
    key: controlPlaneKey,
    keysOf: async (hostId) => {
      const k = await store.read.enrollment.hostKeys(hostId);
      return k && { identityKey: k.identity_key, transitKey: k.transit_key };
    },
    epochOf: async (hostId) => (await store.read.resources.get(hostId))?.status.lease?.epoch ?? 0,
    clock,
    deadlines: { ensure: opts.ensureDeadlines },
  });
  const joinTokens = new JoinTokens(store);
  const agentMessages = new AgentMessages(store, log);
  const box = SecretBox.forDataDir(dataDir);
  const cpuAllocationRatio = opts.cpuAllocationRatio ?? 16;
  const onError = (kind: string, id: string, e: unknown) => log(`reconcile ${kind} ${id}: ${e instanceof Error ? e.message : String(e)}`);
  const applianceReconciler = new ApplianceReconciler(store, agents, cpuAllocationRatio, box, { ...DEFAULT_RETRY_POLICY, ...opts.retry }, ConfigSshKey.forDataDir(dataDir, box), opts.placementPolicy);
  const appliances = new Controller(applianceReconciler, {
    concurrency: opts.reconcileConcurrency ?? 16,
    onError,
    clock,
  });
  const hub = new EventHub();
  const haCheck = new HaAdmissionCheck(store, { cpuAllocationRatio, debounceMs: opts.haCheckDebounceMs, intervalMs: opts.haCheckIntervalMs, log });
  const power = new PowerMonitor(store, agents, box, { intervalMs: opts.powerPollMs ?? 60_000, log });
  const fabric = new NetworkFabric(store, agents, { log });

  // The cloud: billing, mail, and the request lifecycle that uses both.
  const billing = new BillingService(store, { clock, onError: (e) => log('billing failed', e) });
  const templates = new MailTemplates({ overrideDir: join(dataDir, 'templates', 'mail') });
  const outbox = new MailOutbox({ templates, ids, clock, sealer: box, log: (m) => log(m) });
  const mailSender = new MailSender({ store, smtp: opts.smtp ?? smtpConfigFromEnv(), clock, sealer: box, retry: opts.mailRetry, log: (m) => log(m) });
  store.onCommit(() => mailSender.kick());
  const cloudBilling = billingPort(store);
  const policy: CloudPolicy = { ...DEFAULT_POLICY, haAdmission: opts.haAdmission ?? 'warn', placementPolicy: opts.placementPolicy ?? 'spread', ...opts.policy };
  const requests = new Controller(new RequestReconciler(store, cloudBilling, outbox, box, policy, cpuAllocationRatio, opts.tenantPool), {
    concurrency: opts.reconcileConcurrency ?? 16,
    onError,
    clock,
  });
  const liveRequestsOf = async (userId: string) =>
    (await store.read.requests.all({ ownerId: userId })).filter((r) => !TERMINAL_STATES.has(r.status.state));
  billing.onPosted((posted) => {
    void (async () => {
      for (const p of posted) {
        if (p.crossed) {
          const user = await store.read.users.get(p.userId);
          const { priceList } = await billing.priceList();
          if (user) {
            await store.transaction((tx) =>
              outbox.enqueue(tx, {
                to: user.spec.email,
                recipientId: user.id,
                template: 'credits-low',
                vars: { user: user.name, balance: `${formatCcu(p.balanceMilli)} CCU`, threshold: `${priceList.lowBalanceCcu} CCU` },
                idempotencyKey: `credits:${user.id}:${p.crossed}:${clock.now().toISOString()}`,
                related: { kind: 'user', id: user.id },
              }),
            );
          }
        }
        // Level-based: the request reconciler reads the balance itself and de-provisions at zero.
        for (const r of await liveRequestsOf(p.userId)) requests.enqueue(r.id);
      }
    })().catch((e: unknown) => log('acting on a billing run failed', e));
  });

  // A configuration group changed: the appliances carrying it get its new revision.
  const wakeCarriersOf = async (groupId: string) => {
    const g = await store.read.configGroups.get(groupId);
    if (!g) return;
    for (const a of await store.read.appliances.all()) if (a.spec.configGroups?.includes(g.name)) appliances.enqueue(a.id);
  };
  const wakePending = async () => {
    for (const a of await store.read.appliances.all({ phase: 'pending' })) appliances.enqueue(a.id);
  };
  // A failure that waits for an object of some kind (a kernel, a server's BMC) is tried again
  // when an object of that kind changes.
  const wakeWaiting = async (kind: 'kernel' | 'resource') => {
    for (const a of await store.read.appliances.all({ phase: 'failed' })) if (a.status.retry?.waitingFor === kind) appliances.enqueue(a.id);
  };
  const subs: Subscription[] = [];
  subs.push(
    await bus.subscribe('control-plane', async (e) => {
      hub.deliver(e);
      if (e.kind === 'appliance') {
        appliances.enqueue(e.objectId);
        // A request follows its appliances; the event names the request as a hint only.
        if (typeof e.data.requestId === 'string') requests.enqueue(e.data.requestId);
      }
      if (e.kind === 'request') requests.enqueue(e.objectId);
      if (e.kind === 'config-group') await wakeCarriersOf(e.objectId);
      if (e.kind === 'resource') await wakePending();
      if (e.kind === 'kernel' || e.kind === 'resource') await wakeWaiting(e.kind);
      if (e.kind === 'appliance' || e.kind === 'resource') haCheck.kick();
      if (e.kind === 'appliance' || e.kind === 'resource' || e.kind === 'network') fabric.kick();
      // A boot, a stop or a newly registered server may change a power state: read the BMCs.
      if (e.kind === 'appliance' || (e.kind === 'resource' && e.type !== 'resource.power')) power.kick();
    }),
  );
  // A host's lease changed: its appliances are looked at, oldest first (the N+1 plan's order).
  // One whose failure waits for another object (a kernel) is left to that object's change, unless
  // the host was fenced: then it must leave the host like the others.
  const wakeAppliancesOf = async (hostId: string) => {
    const fenced = (await store.read.resources.get(hostId))?.status.lease?.state === 'fenced';
    const onHost = (await store.read.appliances.all())
      .filter((a) => a.status.hostId === hostId && (fenced || !a.status.retry?.waitingFor))
      .sort((a, b) => a.id.localeCompare(b.id));
    for (const a of onHost) appliances.enqueue(a.id);
  };
  const registry = new HostRegistry(store, bus, {
    enrollment: new HostEnrollment(store, controlPlaneKey),
    messages: agentMessages,
    key: controlPlaneKey,
    leaseMs,
    onChange: (hostId) => {
      wakePending().catch((e: unknown) => log('waking pending appliances failed', e));
      wakeAppliancesOf(hostId).catch((e: unknown) => log('waking the appliances of a host failed', e));
    },
    // A host whose agent (re)started has no records yet: it gets every embedded zone.
    onServing: (hostId) => {
      applianceReconciler.dns.syncHost(hostId).catch((e: unknown) => log(`sending the DNS zones to host ${hostId} failed`, e));
    },
  });
  await registry.start();
  const failures = new HostFailureDetector(store, agents, box, fencerFor(opts.fencing), {
    leaseMs,
    log,
    onChange: (hostId) => {
      wakeAppliancesOf(hostId).catch((e: unknown) => log('waking the appliances of a host failed', e));
    },
  });
  const pm = opts.powerManagement ?? {};
  const powerManager = new PowerManager(store, box, new IpmiPowerSwitch(), agents, {
    leaseMs,
    idleMs: pm.idleMs ?? 1_800_000,
    spareHosts: pm.spareHosts ?? 1,
    leadMs: pm.leadMs ?? 600_000,
    defaultBootMs: pm.defaultBootMs ?? 180_000,
    bootTimeoutMs: pm.bootTimeoutMs ?? 600_000,
    intervalMs: pm.intervalMs,
    retryMs: pm.retryMs,
    log,
    onChange: () => {
      wakePending().catch((e: unknown) => log('waking pending appliances failed', e));
    },
  });
  const runtimeEvents = new RuntimeEventRecorder(store, bus, log, agentMessages);
  await runtimeEvents.start();
  const checkResults = new CheckResultRecorder(store, bus, log, agentMessages);
  await checkResults.start();
  relay.start();

  // The embedded agent registers before reconciling starts, so the first pass after a restart
  // finds its host answering instead of failing every appliance once.
  let agent: Agent | undefined;
  if (opts.embeddedAgent ?? true) {
    // The embedded agent receives secrets exactly as a remote one does: sealed to its own key;
    // and it joins as a remote one does, with a join token, minted here when it needs one.
    const transitKey = TransitKey.forDataDir(dataDir);
    const identity = IdentityKey.forDataDir(dataDir);
    const enrolled = await store.read.enrollment.hostKeysByIdentity(identity.publicKey);
    let joinToken: string | undefined;
    if (!enrolled || !enrollmentFile.read(dataDir)) {
      const hostId = enrolled?.host_id ?? (await hostByMachineId(store.read, readMachineId()))?.id ?? null;
      joinToken = (await joinTokens.create({ ttlMs: 10 * 60_000, hostId, note: 'the embedded agent' })).token;
    }
    agent = new Agent({
      bus,
      transitKey,
      identity,
      joinToken,
      clock,
      drivers:
        opts.drivers ??
        builtinDrivers({ stateDir: join(dataDir, 'run'), physical: { networks: opts.bootNetworks ?? [], unseal: (sealed) => transitKey.open(sealed) } }),
      storage,
      dataDir,
      log,
      heartbeatMs: opts.heartbeatMs,
    });
    await agent.start();
  }
  appliances.start();
  for (const a of await store.read.appliances.all()) appliances.enqueue(a.id);
  requests.start();
  for (const r of await store.read.requests.all()) requests.enqueue(r.id);
  billing.start();
  mailSender.start();
  power.start();
  failures.start();
  haCheck.start();
  if (pm.enabled) powerManager.start();
  fabric.start();

  const quotas = new QuotaService(cloudBilling);
  const capacity = new CapacityService(store, cpuAllocationRatio);
  const orders = new RequestOrders(store, cloudBilling, quotas);
  const stackPlanner = new StackPlanner(store, cloudBilling, quotas, capacity);
  const metrics = createMetrics(store, log);
  metrics.start();
  const fleetMetrics = new FleetMetrics(store, agents, metrics.registry, { clock, log, intervalMs: opts.fleetMetricsMs });
  fleetMetrics.start();
  const metricsListener = opts.metricsListen ? await startMetricsListener(opts.metricsListen, metrics.registry) : undefined;
  const app = await buildApi(
    {
      metrics,
      metricsToken: opts.metricsToken,
      puppetToken: opts.puppetToken,
      mail: outbox,
      userRateLimit: opts.userRateLimit ?? 60,
      store,
      agents,
      storage,
      defaultStorageId: async () => storageId,
      events: hub,
      identity,
      loginRateLimit: opts.loginRateLimit ?? 10,
      cloud: {
        capacity,
        quotas,
        billing: cloudBilling,
        limits: new ApplianceLimits(quotas, cloudBilling),
        orders,
      },
      stacks: { planner: stackPlanner, applier: new StackApplier(store, stackPlanner, orders, { admission: opts.haAdmission ?? 'warn', cpuAllocationRatio }) },
      billing,
      secrets: box,
      uploads: {
        importDirs: new ImportDirs(importDirs, { protectedDirs: [dataDir] }),
        kernels,
        maxImageBytes: opts.maxImageBytes ?? DEFAULTS.maxImageBytes,
        maxKernelFileBytes: opts.maxKernelFileBytes ?? DEFAULTS.maxKernelFileBytes,
        stallMs: opts.uploadStallMs ?? 300_000,
      },
      joinTokens,
      ha: { leaseMs, check: haCheck, admission: opts.haAdmission ?? 'warn', cpuAllocationRatio },
      placementPolicy: opts.placementPolicy ?? 'spread',
      power: { manager: powerManager, enabled: pm.enabled ?? false },
    },
    { logger: opts.log ?? false, consoleDir: opts.consoleDir === null ? undefined : (opts.consoleDir ?? DEFAULT_CONSOLE_DIR) },
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
    agents,
    fleetMetrics,
    appliances,
    requests,
    billing,
    mailSender,
    relay,
    metricsUrl: metricsListener?.url,
    async stop() {
      await app.close();
      await metricsListener?.close();
      metrics.stop();
      fleetMetrics.stop();
      await power.stop();
      await failures.stop();
      await powerManager.stop();
      await haCheck.stop();
      await fabric.stop();
      await agent?.stop();
      await requests.stop();
      await appliances.stop();
      await billing.stop();
      await mailSender.stop();
      await relay.stop();
      await registry.stop();
      await runtimeEvents.stop();
      await checkResults.stop();
      await Promise.all(subs.map((s) => s.close()));
      await bus.close();
      await store.close();
    },
  };
}
