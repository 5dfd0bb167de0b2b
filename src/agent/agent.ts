import type { Bus, Subscription } from '../bus/bus.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { HostFacts } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import { hasConsole, hasDiscovery, hasPower, hasRuntimeEvents, type Driver, type Observation, type RuntimeSpec } from '../drivers/driver.ts';
import { convertAppliance } from '../storage/convert.ts';
import { DiskImages } from '../storage/disk-images.ts';
import { KernelStore } from '../storage/kernel-store.ts';
import type { LocalStorage } from '../storage/local-storage.ts';
import { fingerprint, machineId as readMachineId } from './fingerprint.ts';
import type { TransitKey } from './transit-key.ts';
import {
  CONSOLE_CHUNK_BYTES,
  subjects,
  type ConsoleCommand,
  type ConsoleReply,
  type ConvertCommand,
  type DestroyCommand,
  type EnsureCommand,
  type Heartbeat,
  type InspectCommand,
  type PowerCommand,
  type PowerReply,
  type RegisterReply,
  type RegisterRequest,
  type RuntimeEventNotice,
} from './protocol.ts';

export interface AgentOptions {
  bus: Bus;
  /** Opens the secrets commands carry; its public half is reported with the host's facts. */
  transitKey: TransitKey;
  drivers: Driver[];
  storage: LocalStorage;
  dataDir: string;
  machineId?: string;
  heartbeatMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * The agent runs on every host. It registers the machine as a host resource, heartbeats through
 * the bus, and carries out driver operations for the appliances placed on it. It keeps no state of
 * its own: each command says everything it needs, and every operation is idempotent.
 */
export class Agent {
  hostId: string | undefined;
  private readonly drivers = new Map<Virtualization, Driver>();
  private subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly disks: DiskImages;
  private readonly kernels: KernelStore;

  constructor(private readonly opts: AgentOptions) {
    this.log = opts.log ?? (() => undefined);
    this.disks = new DiskImages(opts.storage);
    this.kernels = new KernelStore(opts.storage.kernelsDir);
  }

  async start(): Promise<string> {
    for (const d of this.opts.drivers) {
      const probe = await d.probe();
      if (probe.available) this.drivers.set(d.virtualization, d);
      else this.log(`driver ${d.virtualization} unavailable: ${probe.reason ?? 'unknown'}`);
    }
    const facts = this.facts();
    const req: RegisterRequest = { machineId: this.opts.machineId ?? readMachineId(), facts };
    const reply = (await this.registerWithRetry(req)) as RegisterReply;
    this.hostId = reply.hostId;
    const id = reply.hostId;
    this.subs = await Promise.all([
      this.opts.bus.handle(subjects.agent(id, 'ensure'), (p) => this.ensure(p as EnsureCommand)),
      this.opts.bus.handle(subjects.agent(id, 'destroy'), (p) => this.destroy(p as DestroyCommand)),
      this.opts.bus.handle(subjects.agent(id, 'inspect'), (p) => this.inspect(p as InspectCommand)),
      this.opts.bus.handle(subjects.agent(id, 'console'), (p) => this.console(p as ConsoleCommand)),
      this.opts.bus.handle(subjects.agent(id, 'list'), () => this.list()),
      this.opts.bus.handle(subjects.agent(id, 'convert'), (p) => this.convert(p as ConvertCommand)),
      this.opts.bus.handle(subjects.agent(id, 'power'), (p) => this.power(p as PowerCommand)),
    ]);
    for (const d of this.drivers.values()) {
      if (hasDiscovery(d)) {
        const off = await d.onDiscovered((m) => {
          void this.opts.bus.notify(subjects.discovered, { hostId: id, ...m }).catch((e: unknown) => this.log('reporting a discovered machine failed', e));
        });
        this.subs.push({ close: async () => off() });
      }
      if (hasRuntimeEvents(d)) {
        const off = d.onRuntimeEvent((e) => {
          const notice: RuntimeEventNotice = { hostId: id, virtualization: d.virtualization, ...e };
          void this.opts.bus.notify(subjects.runtimeEvent, notice).catch((err: unknown) => this.log('reporting a runtime event failed', err));
        });
        this.subs.push({ close: async () => off() });
      }
    }
    // heartbeat() handles its own failure (a bus that is away): nothing escapes it.
    this.timer = setInterval(() => {
      this.heartbeat().catch((e: unknown) => this.log('heartbeat failed', e));
    }, this.opts.heartbeatMs ?? 5_000);
    this.timer.unref();
    return id;
  }

  private async registerWithRetry(req: RegisterRequest): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.opts.bus.request(subjects.register, req, 10_000);
      } catch (e) {
        if (attempt >= 30) throw e;
        this.log('control plane did not answer the registration; retrying', e);
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 5_000)));
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.hostId) return;
    const hb: Heartbeat = { hostId: this.hostId, facts: this.facts() };
    await this.opts.bus.notify(subjects.heartbeat, hb).catch((e: unknown) => this.log('heartbeat failed', e));
  }

  private facts(): HostFacts {
    return { ...fingerprint(this.opts.dataDir, [...this.drivers.keys()]), transitKey: this.opts.transitKey.publicKey };
  }

  private driver(v: Virtualization): Driver {
    const d = this.drivers.get(v);
    if (!d) throw new FleetyardError('FY_DRIVER_UNAVAILABLE', `this host has no ${v} driver`);
    return d;
  }

  private async ensure(cmd: EnsureCommand): Promise<Observation> {
    const driver = this.driver(cmd.virtualization);
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
      network: cmd.network,
      env: cmd.env,
      login: cmd.login
        ? {
            user: cmd.login.user,
            sshPublicKey: cmd.login.sshPublicKey,
            password: cmd.login.passwordSealed === null ? null : this.opts.transitKey.open(cmd.login.passwordSealed),
          }
        : null,
      kernel: cmd.kernel ?? null,
      machine: cmd.machine ?? null,
    };
    return driver.ensure(spec, cmd.desired);
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

  private async power(cmd: PowerCommand): Promise<PowerReply> {
    const d = this.driver('physical');
    if (!hasPower(d)) throw new FleetyardError('FY_DRIVER_UNAVAILABLE', 'the physical driver of this host cannot power machines');
    return { power: await d.machinePower(cmd.machine, cmd.action) };
  }

  private async list(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [v, d] of this.drivers) out[v] = await d.list();
    return out;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.subs.map((s) => s.close()));
    this.subs = [];
  }
}
