import type { AgentClient } from '../agent/agent-client.ts';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';
import type { EnsureCommand } from '../agent/protocol.ts';
import { applianceConfigInputs } from '../config/appliance-inputs.ts';
import { cloudInitPlan } from '../config/cloud-init-plan.ts';
import { type Appliance, type ApplianceStatus, reachableAddress } from '../domain/appliance.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { ApplianceStatusEventType } from '../domain/event-types.ts';
import type { ConfigSshKey } from '../identity/config-ssh-key.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';
import { RetryAt, TerminalError, type ReconcileResult, type Reconciler } from './controller.ts';
import { DEFAULT_RETRY_POLICY, isParked, isUnreachable, recordFailure, retryDue, type RetryPolicy } from './appliance-retry.ts';
import { ApplianceMover } from './appliance-move.ts';
import { ApplianceFailover } from './appliance-failover.ts';
import { ApplianceRestarter } from './appliance-restart.ts';
import { ApplianceConfigurer } from './appliance-config.ts';
import { sealForHost } from './host-secrets.ts';
import { PlacementPlanner } from './placement-planner.ts';
import { DnsPublisher } from './dns-publisher.ts';

const NO_CAPACITY_RETRY_MS = 5_000;

/**
 * Drives an appliance from its spec to reality: place it, have the host's agent clone its image
 * and start it, publish its DNS records before it is reported running, stop it, and on deletion
 * release everything (its records too) before the row goes.
 *
 * Level-based: each run re-reads the appliance and acts on what it finds. The one writer of
 * `status` is this reconciler; every status write is a versioned update, so a concurrent API
 * change (a new generation) makes the write fail and the run repeat with fresh state.
 */
export class ApplianceReconciler implements Reconciler {
  readonly kind = 'appliance';
  private readonly planner: PlacementPlanner;
  private readonly mover: ApplianceMover;
  private readonly failover: ApplianceFailover;
  private readonly restarter: ApplianceRestarter;
  private readonly configurer: ApplianceConfigurer;
  /** Publishes the appliance's DNS records (src/dns/); the control plane also syncs hosts with it. */
  readonly dns: DnsPublisher;

  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    cpuAllocationRatio: number,
    private readonly secrets: SecretBox,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
    /** The installation's configuration-management key; without it no configuration group is applied. */
    private readonly configKey: ConfigSshKey | null = null,
    /** How hosts are ranked for an appliance that names no policy. */
    placementPolicy: PlacementPolicy = 'spread',
  ) {
    this.configurer = new ApplianceConfigurer(store, agents, secrets, configKey);
    this.planner = new PlacementPlanner(store, cpuAllocationRatio, placementPolicy);
    this.dns = new DnsPublisher(store, agents, secrets);
    this.failover = new ApplianceFailover(store, this.planner, (a, p, t, m) => this.writeStatus(a, p, t, m));
    this.mover = new ApplianceMover(store, agents, this.planner, (a, p, t, m) => this.writeStatus(a, p, t, m), (a, d) => this.ensureCommand(a, d));
    this.restarter = new ApplianceRestarter(store, agents, this.planner, (a, p, t, m) => this.writeStatus(a, p, t, m), (a, d) => this.ensureCommand(a, d));
  }

  async reconcile(id: string): Promise<ReconcileResult | void> {
    const a = await this.store.read.appliances.get(id);
    if (!a) return;
    // A failing appliance waits out its backoff, whatever woke it (its own failure event, too).
    const due = retryDue(a, this.store.clock.now());
    if (due) return { requeueAt: due };
    if (isParked(a) && !a.deletionRequestedAt) return;
    try {
      // Its host's lease comes first: nothing is sent to a host that lost it. Waiting for the
      // host is no success of the appliance's own, so its record of failures stays.
      const lostHost = await this.failover.handle(a);
      if (lostHost) return lostHost.result;
      const result = await this.act(a);
      if (a.status.retry) await this.clearRetry(a.id);
      return result;
    } catch (e) {
      throw await this.failed(a.id, e);
    }
  }

  private async act(a: Appliance): Promise<ReconcileResult | void> {
    if (a.deletionRequestedAt) return this.finalize(a);
    if (a.spec.move && a.status.lastMove?.id !== a.spec.move.id) return this.mover.move(a);
    if (ApplianceRestarter.pending(a)) {
      if (await this.restarter.restart(a)) return;
      return this.act(await this.store.read.appliances.require(a.id));
    }
    if (a.spec.desiredState === 'running') return this.run(a);
    return this.halt(a);
  }

  /**
   * Records a failure in the status (attempts, last error, next attempt) and says when to try
   * again. The agent not answering keeps the phase (the appliance may well still run there); any
   * other failure of an appliance that should run makes it `failed`, with an event per attempt.
   */
  private async failed(id: string, e: unknown): Promise<unknown> {
    // Somebody else wrote the appliance meanwhile: not a failure, just run again with fresh state.
    if (e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') return e;
    const a = await this.store.read.appliances.get(id);
    if (!a) return e;
    const retry = recordFailure(a, e, this.store.clock.now(), this.retryPolicy);
    const transient = isUnreachable(e);
    const patch: Partial<ApplianceStatus> = { retry, message: retry.lastError };
    if (!transient && a.spec.desiredState === 'running' && !a.deletionRequestedAt && a.status.phase !== 'moving') patch.phase = 'failed';
    const next = retry.nextAttemptAt ? `next attempt at ${retry.nextAttemptAt}` : `waiting for a ${retry.waitingFor ?? 'change'}`;
    try {
      await this.writeStatus(a, patch, transient ? undefined : 'appliance.failed', `appliance ${a.name} failed (attempt ${retry.attempts}): ${retry.lastError}; ${next}`);
    } catch (writeError) {
      return writeError; // not recorded: the controller's own backoff retries
    }
    if (retry.nextAttemptAt === null) return e instanceof TerminalError ? e : new TerminalError(retry.lastError);
    return new RetryAt(new Date(retry.nextAttemptAt), e);
  }

  /**
   * An appliance that has been moved may keep its data in another driver's form than the one it
   * is now placed on (a move that failed midway, a rollback that failed): it is converted first,
   * so nothing ever boots over data in the wrong form. Conversion is a no-op when the form fits.
   */
  private async fitDataToDriver(a: Appliance): Promise<void> {
    const cloneHost = a.status.handle.cloneHostId ?? a.status.hostId;
    if (!a.status.lastMove || typeof cloneHost !== 'string' || !a.status.virtualization) return;
    const image = await this.store.read.images.require(a.spec.imageId);
    await this.agents.convert(cloneHost, { applianceId: a.id, image: { id: image.id, format: image.spec.format }, from: a.status.lastMove.from ?? a.status.virtualization, to: a.status.virtualization });
  }

  /** A success ends the record of failures (without an event: nothing anyone waits for). */
  private async clearRetry(id: string): Promise<void> {
    const fresh = await this.store.read.appliances.get(id);
    if (fresh?.status.retry) await this.writeStatus(fresh, { retry: null });
  }

  private async run(a: Appliance): Promise<ReconcileResult | void> {
    // Lost with its host and not HA: it stays so until its spec changes (a start places it anew).
    if (a.status.phase === 'lost' && a.status.observedGeneration === a.generation) return;
    let current = a;
    if (!current.status.hostId) {
      const placed = await this.planner.place(current);
      if (!placed.ok) {
        await this.writeStatus(current, { phase: 'pending', message: placed.reason }, 'appliance.unschedulable', placed.reason);
        return { requeueAfterMs: NO_CAPACITY_RETRY_MS };
      }
      current = placed.appliance;
    }
    // The command first: what it needs from other objects (a kernel, a server's BMC) may be
    // missing, and then the appliance stays as it is rather than flip to starting and back.
    const command = await this.ensureCommand(current, 'running');
    if (current.status.phase !== 'starting' && current.status.phase !== 'running') {
      current = await this.writeStatus(current, { phase: 'starting', message: null });
      await this.fitDataToDriver(current);
    }
    const obs = await this.agents.ensure(current.status.hostId as string, command);
    if (obs.state !== 'running') throw new FleetyardError('FY_DRIVER_FAILED', obs.message ?? `the driver reports ${obs.state}`);
    const changed = current.status.phase !== 'running' || current.status.observedGeneration !== current.generation;
    if (changed || current.status.startedAt !== obs.startedAt) {
      current = await this.writeStatus(
        current,
        { phase: 'running', message: null, startedAt: obs.startedAt, handle: obs.handle, observedGeneration: current.generation, retry: null },
        current.status.phase !== 'running' ? 'appliance.running' : undefined,
        `appliance ${current.name} is running at ${reachableAddress(current) ?? '?'}`,
      );
    }
    // Running, its login made: now its configuration groups (those not applied at their revision).
    await this.configurer.apply(current);
  }

  private async halt(a: Appliance): Promise<void> {
    let current = a;
    const hostId = current.status.hostId;
    if (hostId) {
      if (current.status.phase !== 'stopping') current = await this.writeStatus(current, { phase: 'stopping', message: null });
      const obs = await this.agents.ensure(hostId, await this.ensureCommand(current, 'stopped'));
      if (obs.state === 'running') throw new FleetyardError('FY_DRIVER_FAILED', 'the appliance is still running');
      await this.planner.release(current, {
        phase: 'stopped',
        message: null,
        startedAt: null,
        // The clone stays on the host after a stop; remember where, for restart and deletion.
        handle: { cloneHostId: hostId },
        observedGeneration: current.generation,
      });
      return;
    }
    if (current.status.phase !== 'stopped' || current.status.observedGeneration !== current.generation) {
      await this.writeStatus(
        current,
        { phase: 'stopped', message: null, observedGeneration: current.generation },
        current.status.phase !== 'stopped' ? 'appliance.stopped' : undefined,
        `appliance ${current.name} is stopped`,
      );
    }
  }

  /** Deletion: release runtime and clone on the host, then the address and slot, then the row. */
  private async finalize(a: Appliance): Promise<void> {
    let current = a;
    if (current.status.phase !== 'deleting') current = await this.writeStatus(current, { phase: 'deleting', message: null });
    const hostId = current.status.hostId ?? current.status.handle.cloneHostId;
    if (typeof hostId === 'string' && current.status.virtualization) {
      await this.agents.destroy(hostId, { applianceId: current.id, virtualization: current.status.virtualization });
    }
    // Its names go before its address does: nothing answers with an address somebody else may get.
    if (reachableAddress(current)) {
      const removed = await this.dns.remove(current);
      if (removed.length > 0) await this.store.transaction((tx) => tx.emit(this.dnsEvent(current, 'appliance.dns-removed', removed)));
    }
    await this.planner.forget(current);
  }

  /**
   * The kernel a VM or network-booted machine boots: the appliance's own, else the one named
   * "default" (openQRM's convention); containers need none.
   */
  private async kernelFor(a: Appliance): Promise<EnsureCommand['kernel']> {
    const v = a.status.virtualization;
    if (v !== 'qemu' && v !== 'physical') return null;
    const k = a.spec.kernelId ? await this.store.read.kernels.get(a.spec.kernelId) : await this.store.read.kernels.getByName('default');
    if (!k) throw new TerminalError(`appliance ${a.name} needs a kernel: give it one or register a kernel named "default"`, { waitingFor: 'kernel' });
    // Only a kernel whose files are in the kernel store boots; the agent checks the paths again.
    if (k.status.state !== 'ready' || k.spec.vmlinuzPath === null) {
      throw new TerminalError(`kernel ${k.name} of appliance ${a.name} is ${k.status.state}${k.status.message ? `: ${k.status.message}` : ': upload its vmlinuz'}`, { waitingFor: 'kernel' });
    }
    return { name: k.name, vmlinuzPath: k.spec.vmlinuzPath, initrdPath: k.spec.initrdPath, cmdline: k.spec.cmdline };
  }

  /** The physical server a physical appliance runs on, its BMC password sealed for the host. */
  private async machineFor(a: Appliance, hostId: string): Promise<EnsureCommand['machine']> {
    if (a.status.virtualization !== 'physical' || !a.status.resourceId) return null;
    const server = await this.store.read.resources.get(a.status.resourceId);
    if (!server?.spec.mac || !server.spec.bmc) throw new TerminalError(`the server of ${a.name} has no MAC or BMC`, { waitingFor: 'resource' });
    const passwordSealed = await sealForHost(this.store, this.secrets, hostId, server.spec.bmc.passwordSealed);
    return { resourceId: server.id, mac: server.spec.mac, bmc: { ...server.spec.bmc, passwordSealed } };
  }

  /** The user's login, a generated password sealed for the host that will write it. */
  private async loginFor(a: Appliance, hostId: string): Promise<EnsureCommand['login']> {
    const login = a.spec.login;
    if (!login) return null;
    return {
      user: login.user,
      sshPublicKey: login.sshPublicKey,
      passwordSealed: login.passwordSealed ? await sealForHost(this.store, this.secrets, hostId, login.passwordSealed) : null,
    };
  }

  private async ensureCommand(a: Appliance, desired: 'running' | 'stopped'): Promise<EnsureCommand> {
    const hostId = a.status.hostId;
    if (!hostId) throw new FleetyardError('FY_INTERNAL', `appliance ${a.id} has no host to command`);
    const image = await this.store.read.images.require(a.spec.imageId);
    const network = await this.planner.runtimeNetwork(a);
    const moreNetworks = await this.planner.moreRuntimeNetworks(a);
    const dnsZone = (await this.store.read.networks.getByName(a.spec.network))?.spec.dns?.zone ?? null;
    return {
      applianceId: a.id,
      virtualization: a.status.virtualization ?? 'container',
      desired,
      name: a.name,
      hostname: a.spec.hostname,
      ha: a.spec.ha,
      command: a.spec.command ?? image.spec.command,
      requirements: a.spec.requirements,
      image: { id: image.id, format: image.spec.format },
      network: { ...network, dnsZone },
      ...(moreNetworks.length > 0 ? { moreNetworks } : {}),
      env: { FLEETYARD_APPLIANCE_ID: a.id, FLEETYARD_APPLIANCE_NAME: a.name },
      // Only a boot needs one: stopping a VM whose kernel became unusable must still work.
      kernel: desired === 'running' ? await this.kernelFor(a) : null,
      machine: await this.machineFor(a, hostId),
      login: await this.loginFor(a, hostId),
      configSshKey: a.spec.configGroups?.length && this.configKey ? this.configKey.publicKey : null,
      checks: desired === 'running' ? (a.spec.checks ?? []) : [],
      cloudInit: desired === 'running' ? await this.cloudInitFor(a, network.address) : null,
    };
  }

  private dnsEvent(a: Appliance, type: 'appliance.dns-published' | 'appliance.dns-removed', names: string[]) {
    const verb = type === 'appliance.dns-published' ? 'published' : 'removed';
    return {
      type,
      kind: 'appliance',
      objectId: a.id,
      ownerId: a.spec.ownerId,
      message: `DNS names of ${a.name} ${verb}: ${names.join(', ')}`,
      data: { names, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
    } as const;
  }

  /** A VM's NoCloud seed as the control plane decides it: its groups' cloud-config, its fqdn and networks. */
  private async cloudInitFor(a: Appliance, address: string | null): Promise<EnsureCommand['cloudInit']> {
    const inputs = await applianceConfigInputs(this.store.read, a, address);
    return cloudInitPlan(a.spec.hostname, inputs.groups, inputs.networks);
  }

  /** Versioned status write, with an event when `eventType` is given. */
  private async writeStatus(
    a: Appliance,
    patch: Partial<ApplianceStatus>,
    eventType?: ApplianceStatusEventType,
    message?: string,
  ): Promise<Appliance> {
    const status = { ...a.status, ...patch };
    // Writing nothing new must not emit anything: an event would wake this reconciler again at
    // once and turn a retry with backoff into a hot loop.
    if (JSON.stringify(status) === JSON.stringify(a.status)) return a;
    // An appliance is reported running only once its names answer (every path that starts one
    // writes its running status here: a start, a move, a restart). A failure is retried like any.
    const published = status.phase === 'running' && ('phase' in patch || 'startedAt' in patch) ? await this.dns.publish({ ...a, status }) : [];
    return this.store.transaction(async (tx) => {
      const next = await tx.appliances.update({ ...a, status }, this.store.clock.now());
      if (published.length > 0) await tx.emit(this.dnsEvent(a, 'appliance.dns-published', published));
      if (eventType) {
        await tx.emit({
          type: eventType,
          kind: 'appliance',
          objectId: a.id,
          ownerId: a.spec.ownerId,
          message: message ?? eventType,
          data: { phase: next.status.phase, hostId: next.status.hostId, address: next.status.address, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
        });
      }
      return next;
    });
  }
}
