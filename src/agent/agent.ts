import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Bus, Subscription } from '../bus/bus.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { FleetyardError, type ErrorCode } from '../domain/errors.ts';
import type { HostFacts } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import { hasConsole, hasDiscovery, hasMetrics, hasPower, hasRuntimeEvents, type Driver, type Observation, type RuntimeSpec } from '../drivers/driver.ts';
import { embeddedZoneSchema } from '../dns/dnsmasq-auth.ts';
import { EmbeddedDnsServer } from '../dns/embedded-server.ts';
import { convertAppliance } from '../storage/convert.ts';
import { DiskImages } from '../storage/disk-images.ts';
import { KernelStore } from '../storage/kernel-store.ts';
import type { LocalStorage } from '../storage/local-storage.ts';
import { AgentChannel } from './agent-channel.ts';
import { applyFabric, withUnderlay } from './fabric.ts';
import { CheckRunner } from './check-runner.ts';
import { applyConfiguration } from './config-apply.ts';
import { OperationQueue } from './operation-queue.ts';
import { LeaseWatchdog } from './lease-watchdog.ts';
import { probeReachable, startProbeListener } from './probe-listener.ts';
import { hostUsage } from './host-usage.ts';
import { enroll, enrollmentFile, type EnrollmentState } from './enrollment.ts';
import { fingerprint, machineId as readMachineId } from './fingerprint.ts';
import type { IdentityKey } from './identity-key.ts';
import type { TransitKey } from './transit-key.ts';
import {
  CONSOLE_CHUNK_BYTES,
  subjects,
  type ConfigureCommand,
  type ConfigureReply,
  type ConsoleCommand,
  type ConsoleReply,
  type ConvertCommand,
  type DestroyCommand,
  type EnsureCommand,
  type FabricCommand,
  type Heartbeat,
  type HeartbeatReply,
  type InspectCommand,
  type LeaseGrant,
  type ProbeCommand,
  type ProbeReply,
  type ShutdownCommand,
  type ShutdownReply,
  type MetricsReply,
  type PowerCommand,
  type PowerReply,
  type RegisterReply,
  type RegisterRequest,
  type RuntimeEventNotice,
  type CheckResultNotice,
} from './protocol.ts';

/** Answers that no retry changes: the agent stops and says why. */
const REFUSALS = new Set<ErrorCode>(['FY_HOST_NOT_ENROLLED', 'FY_MESSAGE_REFUSED', 'FY_JOIN_TOKEN_INVALID', 'FY_HOST_ALREADY_ENROLLED', 'FY_VALIDATION']);
const isRefusal = (e: unknown): e is FleetyardError => e instanceof FleetyardError && REFUSALS.has(e.code);

export interface AgentOptions {
  bus: Bus;
  /** Opens the commands and secrets sealed for this host; enrolled with the identity. */
  transitKey: TransitKey;
  /** This agent's identity: every message it sends is signed with it (DATA_DIR/identity.key). */
  identity: IdentityKey;
  /**
   * Enrols the agent if it has no enrolment in DATA_DIR yet (or the control plane no longer
   * knows it). Not needed once enrolled: a restart registers with the identity alone.
   */
  joinToken?: string | undefined;
  clock?: Clock;
  drivers: Driver[];
  storage: LocalStorage;
  dataDir: string;
  machineId?: string;
  /** Heartbeat interval (default: a fifth of the lease the control plane grants). */
  heartbeatMs?: number;
  /** Listen here for other hosts' reachability probes (FLEETYARD_AGENT_PROBE_LISTEN). */
  probeListen?: { address: string; port: number };
  /**
   * What powers this machine off when the power manager asks (a host woken by Wake-on-LAN):
   * argv, e.g. ['systemctl', 'poweroff'] (FLEETYARD_AGENT_SHUTDOWN_COMMAND). Without it the
   * agent refuses to shut its machine down.
   */
  shutdownCommand?: readonly string[] | undefined;
  /**
   * This host's address on the network between hosts (FLEETYARD_AGENT_UNDERLAY_ADDRESS): reported
   * in its facts, the source of its VXLAN uplinks. Without it, networks that span hosts are refused.
   */
  underlayAddress?: string;
  /** The port the embedded DNS servers answer on, on each network's gateway (default 53). */
  dnsPort?: number;
  /** Where the Nagios plugins are (default /usr/lib/nagios/plugins). */
  pluginDir?: string;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * The agent runs on every host. It enrols once with a join token (keeping its identity and the
 * control plane's key in DATA_DIR), registers the machine as a host resource, heartbeats through
 * the bus, and carries out driver operations for the appliances placed on it. It keeps no other
 * state: each command says everything it needs, and every operation is idempotent. Everything
 * it sends and serves goes through its AgentChannel: signed, verified, sealed.
 */
export class Agent {
  hostId: string | undefined;
  private readonly drivers = new Map<Virtualization, Driver>();
  private subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly disks: DiskImages;
  private readonly kernels: KernelStore;
  private readonly clock: Clock;
  private channel: AgentChannel | undefined;
  /** One operation at a time per appliance, and a repeated command joins the running one. */
  private readonly operations = new OperationQueue();
  /** The fencing epoch this agent runs at (the control plane's, from its last answer). */
  private epoch = 0;
  private leaseMs = 10_000;
  private readonly watchdog: LeaseWatchdog;
  /** The HA appliances this agent last started, and what runs them: the ones it stops itself. */
  private readonly haRunning = new Map<string, Virtualization>();
  /** HA appliances stopped by self-fencing, reported when the lease is back. */
  private readonly selfFenced = new Map<string, Virtualization>();
  private probe: { address: string; port: number; close: () => Promise<void> } | undefined;
  /** The health checks of the appliances running here. */
  private readonly checks: CheckRunner;
  /** The embedded DNS servers of the networks this host has (src/dns/embedded-server.ts). */
  private readonly dns: EmbeddedDnsServer;

  constructor(private readonly opts: AgentOptions) {
    this.log = opts.log ?? (() => undefined);
    this.disks = new DiskImages(opts.storage);
    this.kernels = new KernelStore(opts.storage.kernelsDir);
    this.clock = opts.clock ?? systemClock;
    // The lease is a real-time safety measure: counted on the monotonic clock, never a test's.
    this.watchdog = new LeaseWatchdog({
      now: () => performance.now(),
      selfFence: () => this.selfFence(),
      resumed: () => this.reportSelfFenced(),
      log: this.log,
    });
    this.dns = new EmbeddedDnsServer(join(opts.dataDir, 'dns'), opts.dnsPort ?? 53, this.log);
    this.checks = new CheckRunner({
      clock: this.clock,
      log: this.log,
      ...(opts.pluginDir ? { pluginDir: opts.pluginDir } : {}),
      report: async (applianceId, result) => {
        if (!this.channel || !this.hostId) return;
        const notice: CheckResultNotice = { hostId: this.hostId, applianceId, result };
        await this.channel.notify(subjects.checkResult, notice);
      },
    });
  }

  async start(): Promise<string> {
    for (const d of this.opts.drivers) {
      const probe = await d.probe();
      if (probe.available) this.drivers.set(d.virtualization, d);
      else this.log(`driver ${d.virtualization} unavailable: ${probe.reason ?? 'unknown'}`);
    }
    const machineId = this.opts.machineId ?? readMachineId();
    if (this.opts.probeListen) this.probe = await startProbeListener(this.opts.probeListen.address, this.opts.probeListen.port);
    const { channel, hostId: id, lease } = await this.join(machineId);
    this.channel = channel;
    this.hostId = id;
    if (lease) await this.applyLease(lease, performance.now());
    this.subs = await Promise.all([
      channel.serve('ensure', (p, epoch) => {
        const cmd = p as EnsureCommand;
        if (cmd.desired === 'running') this.mayStart(epoch);
        return this.operations.run(cmd.applianceId, `ensure ${cmd.desired} on ${cmd.virtualization}`, cmd.deadlineAt ?? null, () => this.ensure(cmd, epoch), () => this.clock.now().getTime());
      }),
      channel.serve('destroy', (p) => {
        const cmd = p as DestroyCommand;
        return this.operations.run(cmd.applianceId, 'destroy', cmd.deadlineAt ?? null, () => this.destroy(cmd), () => this.clock.now().getTime());
      }),
      channel.serve('inspect', (p) => this.inspect(p as InspectCommand)),
      channel.serve('console', (p) => this.console(p as ConsoleCommand)),
      channel.serve('list', () => this.list()),
      channel.serve('convert', (p) => {
        const cmd = p as ConvertCommand;
        return this.operations.run(cmd.applianceId, `convert to ${cmd.to}`, cmd.deadlineAt ?? null, () => this.convert(cmd), () => this.clock.now().getTime());
      }),
      channel.serve('configure', (p) => {
        const cmd = p as ConfigureCommand;
        const key = `configure ${cmd.groups.map((g) => `${g.name}@${g.revision}`).join(',')}`;
        return this.operations.run(cmd.applianceId, key, cmd.deadlineAt ?? null, () => this.configure(cmd), () => this.clock.now().getTime());
      }),
      channel.serve('power', (p) => this.power(p as PowerCommand)),
      channel.serve('probe', (p) => this.probeHost(p as ProbeCommand)),
      channel.serve('shutdown', (p) => this.shutdown(p as ShutdownCommand)),
      channel.serve('metrics', () => this.metrics()),
      // One fabric change at a time (under a key no appliance id can have); the same one again joins it.
      channel.serve('fabric', (p) =>
        this.operations.run(' fabric', `fabric ${JSON.stringify(p)}`, null, () => applyFabric(p as FabricCommand, this.opts.underlayAddress), () => this.clock.now().getTime()),
      ),
      channel.serve('dns', (p) => {
        const zone = embeddedZoneSchema.safeParse(p);
        if (!zone.success) throw new FleetyardError('FY_VALIDATION', `a DNS zone command that does not parse: ${zone.error.message}`);
        return this.dns.apply(zone.data);
      }),
    ]);
    for (const d of this.drivers.values()) {
      if (hasDiscovery(d)) {
        const off = await d.onDiscovered((m) => {
          void channel.notify(subjects.discovered, { hostId: id, ...m }).catch((e: unknown) => this.log('reporting a discovered machine failed', e));
        });
        this.subs.push({ close: async () => off() });
      }
      if (hasRuntimeEvents(d)) {
        const off = d.onRuntimeEvent((e) => {
          const notice: RuntimeEventNotice = { hostId: id, virtualization: d.virtualization, ...e };
          void channel.notify(subjects.runtimeEvent, notice).catch((err: unknown) => this.log('reporting a runtime event failed', err));
        });
        this.subs.push({ close: async () => off() });
      }
    }
    // heartbeat() handles its own failure (a bus that is away): nothing escapes it.
    this.timer = setInterval(() => {
      this.heartbeat().catch((e: unknown) => this.log('heartbeat failed', e));
    }, this.opts.heartbeatMs ?? Math.max(200, Math.floor(this.leaseMs / 5)));
    this.timer.unref();
    return id;
  }

  /**
   * Starting anything needs the lease held and the command sent at this agent's epoch: a
   * command from before a fencing, or reaching an agent that does not know yet it was fenced,
   * starts nothing.
   */
  private mayStart(epoch: number): void {
    if (!this.watchdog.holdsLease) throw new FleetyardError('FY_LEASE_LAPSED', 'this host cannot renew its lease: it starts nothing until it can');
    if (epoch !== this.epoch) {
      throw new FleetyardError('FY_FENCING_EPOCH_STALE', `the command was sent at fencing epoch ${epoch}, this host runs at ${this.epoch}: it starts nothing`, { epoch, hostEpoch: this.epoch });
    }
  }

  /** What the control plane answered about the lease: renewed, and maybe fenced meanwhile. */
  private async applyLease(lease: LeaseGrant, sentAt: number): Promise<void> {
    if (lease.rejoin && lease.epoch !== this.epoch) await this.rejoinEmpty(lease.epoch);
    this.epoch = lease.epoch;
    this.leaseMs = lease.durationMs;
    this.watchdog.renewed(sentAt, lease.durationMs);
  }

  /**
   * This host was fenced while it was away: its appliances run elsewhere now (or were given up).
   * Every runtime it still has is stopped and removed before it takes any command; the appliances'
   * data stays where it is (on storage the other hosts share), since it is theirs now.
   */
  private async rejoinEmpty(epoch: number): Promise<void> {
    this.log(`this host was fenced (epoch ${this.epoch} → ${epoch}): removing every appliance it still runs before rejoining`);
    for (const d of this.drivers.values()) {
      for (const applianceId of await d.list()) {
        await this.operations.run(applianceId, 'rejoin empty', null, () => d.destroy(applianceId), () => this.clock.now().getTime());
      }
    }
    this.haRunning.clear();
    this.selfFenced.clear();
  }

  /** The watchdog's action: every HA appliance stops, at once and in parallel. */
  private async selfFence(): Promise<void> {
    const running = [...this.haRunning];
    await Promise.all(
      running.map(async ([applianceId, v]) => {
        try {
          await this.operations.run(applianceId, 'self-fence', null, () => this.driver(v).destroy(applianceId), () => this.clock.now().getTime());
          this.haRunning.delete(applianceId);
          this.selfFenced.set(applianceId, v);
        } catch (e) {
          this.log(`self-fencing appliance ${applianceId} failed`, e);
        }
      }),
    );
    this.log(`self-fenced ${running.length} HA appliance(s)`);
  }

  /** The lease is back at the same epoch: the control plane learns what stopped, and starts it again. */
  private reportSelfFenced(): void {
    const channel = this.channel;
    if (!channel || !this.hostId) return;
    for (const [applianceId, virtualization] of this.selfFenced) {
      const notice: RuntimeEventNotice = {
        hostId: this.hostId,
        virtualization,
        applianceId,
        event: 'SHUTDOWN',
        at: this.clock.now().toISOString(),
        data: { guest: false, reason: 'self-fenced: its host could not renew its lease' },
      };
      void channel.notify(subjects.runtimeEvent, notice).catch((e: unknown) => this.log('reporting a self-fenced appliance failed', e));
    }
    this.selfFenced.clear();
  }

  /** Runs the configured shutdown command, detached, when the machine runs nothing. */
  private async shutdown(cmd: ShutdownCommand): Promise<ShutdownReply> {
    const argv = this.opts.shutdownCommand;
    if (!argv || argv.length === 0) {
      throw new FleetyardError('FY_HOST_SHUTDOWN_DISABLED', 'this agent has no shutdown command (FLEETYARD_AGENT_SHUTDOWN_COMMAND): it does not power its machine off');
    }
    const running = Object.values(await this.list()).reduce((n, ids) => n + ids.length, 0);
    if (running > 0) throw new FleetyardError('FY_RESOURCE_IN_USE', `this host runs ${running} appliance${running === 1 ? '' : 's'}: it is not shut down`);
    this.log(`shutting the machine down (${typeof cmd?.reason === 'string' ? cmd.reason.slice(0, 200) : 'asked by the control plane'}): ${argv.join(' ')}`);
    const child = spawn(argv[0] as string, argv.slice(1), { detached: true, stdio: 'ignore' });
    child.once('error', (e) => this.log(`the shutdown command could not start: ${e.message}`));
    child.unref();
    return { started: true };
  }

  private async probeHost(cmd: ProbeCommand): Promise<ProbeReply> {
    if (typeof cmd?.address !== 'string' || !Number.isInteger(cmd.port) || cmd.port < 1 || cmd.port > 65535) {
      throw new FleetyardError('FY_VALIDATION', 'a probe needs an address and a port');
    }
    return probeReachable(cmd.address, cmd.port);
  }

  /**
   * Enrolled already: registers with the identity. Not enrolled (or no longer known to the
   * control plane) and given a join token: enrols, keeps the enrolment, then registers.
   */
  private async join(machineId: string): Promise<{ channel: AgentChannel; hostId: string; lease: LeaseGrant | undefined }> {
    const { dataDir, joinToken } = this.opts;
    let state = enrollmentFile.read(dataDir);
    let enrolledNow = false;
    if (!state) {
      if (!joinToken) throw new FleetyardError('FY_HOST_NOT_ENROLLED', 'this agent is not enrolled: start it once with a join token (fleetyard host join-token create)');
      state = await this.enroll(joinToken, machineId);
      enrolledNow = true;
    }
    for (;;) {
      const channel = this.channelFor(state);
      const req: RegisterRequest = { machineId, facts: this.facts() };
      try {
        const reply = (await this.retrying('registration', () => channel.request(subjects.register, req, 10_000))) as RegisterReply;
        return { channel, hostId: reply.hostId, lease: reply.lease };
      } catch (e) {
        if (enrolledNow || !joinToken || !isRefusal(e) || !['FY_HOST_NOT_ENROLLED', 'FY_MESSAGE_REFUSED'].includes(e.code)) throw e;
        this.log(`the control plane does not know this agent's enrolment (${e.message}); enrolling with the join token`);
        state = await this.enroll(joinToken, machineId);
        enrolledNow = true;
      }
    }
  }

  private async enroll(token: string, machineId: string): Promise<EnrollmentState> {
    const { bus, identity, transitKey, dataDir } = this.opts;
    const state = await this.retrying('enrolment', () =>
      enroll({ bus, identity, transitKey: transitKey.publicKey, token, machineId, facts: this.facts(), now: () => this.clock.now() }),
    );
    enrollmentFile.write(dataDir, state);
    this.log(`enrolled as host ${state.hostId}`);
    return state;
  }

  private channelFor(state: EnrollmentState): AgentChannel {
    return new AgentChannel(this.opts.bus, this.opts.identity, this.opts.transitKey, state.hostId, state.controlPlaneKey, this.clock, this.log);
  }

  /** Retries while the control plane does not answer (it may be starting); a refusal ends it. */
  private async retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        if (n >= 30 || isRefusal(e)) throw e;
        this.log(`control plane did not answer the ${what}; retrying`, e);
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** n, 5_000)));
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.hostId || !this.channel) return;
    const hb: Heartbeat = { hostId: this.hostId, facts: this.facts(), epoch: this.epoch };
    const sentAt = performance.now();
    try {
      const reply = (await this.channel.request(subjects.heartbeat, hb, Math.max(500, Math.floor(this.leaseMs / 2)))) as HeartbeatReply | null;
      // An older control plane answers nothing: no lease to keep then.
      if (reply && typeof reply.epoch === 'number' && typeof reply.durationMs === 'number') {
        const wasRejoin = reply.rejoin && reply.epoch !== this.epoch;
        await this.applyLease(reply, sentAt);
        if (wasRejoin) await this.heartbeat();
      }
    } catch (e) {
      this.log('heartbeat failed', e);
    }
  }

  private facts(): HostFacts {
    const probe = this.probe ? { probe: { address: this.probe.address, port: this.probe.port } } : {};
    const underlay = this.opts.underlayAddress ? { underlayAddress: this.opts.underlayAddress } : {};
    return { ...fingerprint(this.opts.dataDir, [...this.drivers.keys()]), transitKey: this.opts.transitKey.publicKey, ...probe, ...underlay };
  }

  private driver(v: Virtualization): Driver {
    const d = this.drivers.get(v);
    if (!d) throw new FleetyardError('FY_DRIVER_UNAVAILABLE', `this host has no ${v} driver`);
    return d;
  }

  private async ensure(cmd: EnsureCommand, epoch: number): Promise<Observation> {
    const driver = this.driver(cmd.virtualization);
    // Checked again once the operation's turn has come: the lease may have lapsed meanwhile.
    if (cmd.desired === 'running') this.mayStart(epoch);
    if (cmd.desired === 'running' && cmd.ha) this.haRunning.set(cmd.applianceId, cmd.virtualization);
    else this.haRunning.delete(cmd.applianceId);
    if (cmd.kernel) await this.requireStoredKernel(cmd.kernel);
    // VMs boot a disk: a qcow2 clone over the image's base disk (or a whole disk a move
    // converted to). Everything else stacks an overlay clone over the image's rootfs. Both live
    // in the appliance's clone dir, which destroy removes whole.
    const root: RuntimeSpec['root'] =
      cmd.virtualization === 'qemu'
        ? {
            format: 'qcow2',
            clonePath: await this.disks.ensureDiskClone(cmd.image.id, cmd.applianceId),
            imagePath: this.disks.baseDiskPath(cmd.image.id),
          }
        : {
            format: cmd.image.format,
            imagePath: this.opts.storage.imagePath(cmd.image.id),
            clonePath: (await this.opts.storage.ensureClone(cmd.applianceId)).clonePath,
          };
    const spec: RuntimeSpec = {
      applianceId: cmd.applianceId,
      name: cmd.name,
      hostname: cmd.hostname,
      command: cmd.command,
      requirements: cmd.requirements,
      root,
      network: withUnderlay(cmd.network, this.opts.underlayAddress),
      ...(cmd.moreNetworks && cmd.moreNetworks.length > 0 ? { moreNetworks: cmd.moreNetworks.map((n) => withUnderlay(n, this.opts.underlayAddress)) } : {}),
      env: cmd.env,
      login: cmd.login
        ? {
            user: cmd.login.user,
            sshPublicKey: cmd.login.sshPublicKey,
            password: cmd.login.passwordSealed === null ? null : this.opts.transitKey.open(cmd.login.passwordSealed),
          }
        : null,
      configSshKey: cmd.configSshKey ?? null,
      kernel: cmd.kernel ?? null,
      machine: cmd.machine ?? null,
      cloudInit: cmd.cloudInit ?? null,
    };
    const obs = await driver.ensure(spec, cmd.desired);
    if (cmd.desired === 'running' && obs.state === 'running' && cmd.checks && cmd.checks.length > 0) this.checks.set(cmd.applianceId, cmd.network.address ?? cmd.network.ipv6?.address ?? '', cmd.checks);
    else this.checks.stop(cmd.applianceId);
    return obs;
  }

  /**
   * Drivers boot the files they are given, and the physical one links them into the boot
   * network's HTTP root, which any machine on that network can read: so nothing but a file of
   * the kernel store this host knows is ever handed to them, whatever a command says.
   */
  private async requireStoredKernel(kernel: NonNullable<EnsureCommand['kernel']>): Promise<void> {
    for (const [field, path] of [['vmlinuzPath', kernel.vmlinuzPath], ['initrdPath', kernel.initrdPath]] as const) {
      if (path === null || (await this.kernels.holds(path))) continue;
      throw new FleetyardError('FY_KERNEL_NOT_IN_STORE', `kernel ${kernel.name}: ${path} is not a file of this host's kernel store (${this.kernels.rootDir})`, {
        field,
        kernel: kernel.name,
      });
    }
  }

  private async destroy(cmd: DestroyCommand): Promise<{ ok: true }> {
    this.haRunning.delete(cmd.applianceId);
    this.checks.stop(cmd.applianceId);
    await this.driver(cmd.virtualization).destroy(cmd.applianceId);
    await this.opts.storage.removeClone(cmd.applianceId);
    return { ok: true };
  }

  /** Turns the appliance's data into the form the target driver needs (see storage/convert.ts). */
  private async convert(cmd: ConvertCommand): Promise<{ ok: true }> {
    await convertAppliance(this.opts.storage, cmd.applianceId, cmd.image.id, cmd.to);
    return { ok: true };
  }

  private inspect(cmd: InspectCommand): Promise<Observation> {
    return this.driver(cmd.virtualization).inspect(cmd.applianceId);
  }

  private async console(cmd: ConsoleCommand): Promise<ConsoleReply> {
    const d = this.driver(cmd.virtualization);
    if (!hasConsole(d)) throw new FleetyardError('FY_DRIVER_UNAVAILABLE', `the ${cmd.virtualization} driver has no console`);
    const chunk = await d.readConsole(cmd.applianceId, cmd.start, CONSOLE_CHUNK_BYTES);
    return { data: chunk.data.toString('base64'), offset: chunk.offset, size: chunk.size };
  }

  /** Runs the groups' playbooks against the appliance; its console tells when SSH takes the key. */
  private async configure(cmd: ConfigureCommand): Promise<ConfigureReply> {
    const d = this.driver(cmd.virtualization);
    if (!hasConsole(d)) throw new FleetyardError('FY_DRIVER_UNAVAILABLE', `the ${cmd.virtualization} driver has no console to learn the appliance's SSH host key from`);
    return applyConfiguration(cmd, {
      consoleTail: async (id) => (await d.readConsole(id, { last: 65_536 }, 65_536)).data.toString('utf8'),
      open: (sealed) => this.opts.transitKey.open(sealed),
    });
  }

  private async power(cmd: PowerCommand): Promise<PowerReply> {
    const d = this.driver('physical');
    if (!hasPower(d)) throw new FleetyardError('FY_DRIVER_UNAVAILABLE', 'the physical driver of this host cannot power machines');
    return { power: await d.machinePower(cmd.machine, cmd.action) };
  }

  /** Only reads: it takes no place in the operation queue, and a start or stop meanwhile is fine. */
  private async metrics(): Promise<MetricsReply> {
    const reply: MetricsReply = { host: await hostUsage(), appliances: [], withoutUsage: [] };
    for (const [virtualization, d] of this.drivers) {
      if (!hasMetrics(d)) {
        reply.withoutUsage.push(virtualization);
        continue;
      }
      const ids = await d.list();
      const usages = await Promise.all(ids.map((id) => d.metrics(id).catch(() => null)));
      ids.forEach((applianceId, i) => {
        const usage = usages[i];
        if (usage) reply.appliances.push({ applianceId, virtualization, usage });
      });
    }
    return reply;
  }

  private async list(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [v, d] of this.drivers) out[v] = await d.list();
    return out;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.watchdog.stop();
    await this.probe?.close();
    this.probe = undefined;
    this.checks.stopAll();
    await Promise.all(this.subs.map((s) => s.close()));
    await this.dns.stopAll();
    this.subs = [];
    this.channel = undefined;
  }
}
