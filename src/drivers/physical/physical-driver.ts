import { driverCall, driverFailure } from '../driver-errors.ts';
import { join } from 'node:path';
import { BootService } from '../../boot/boot-service.ts';
import type { BootNetwork } from '../../boot/boot-network.ts';
import type { DiscoveredMachine } from '../../boot/discovery.ts';
import { machineScript } from '../../boot/ipxe.ts';
import { normalizeMac } from '../../boot/mac.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { execAllowFail } from '../../host/exec.ts';
import { KeyedMutex } from '../container/keyed-mutex.ts';
import { ipv4Addressing, type Driver, type MachinePowerAction, type Observation, type PowerCapability, type RuntimeMachine, type RuntimeSpec } from '../driver.ts';
import { buildSeed } from '../seed.ts';
import { awaitUp } from './await-up.ts';
import { bootCmdline } from './boot-cmdline.ts';
import { Ipmi } from './ipmi.ts';
import { assertId, MachineRecords, type MachineRecord } from './machine-record.ts';
import { placeFile, writeRootTarball } from './root-export.ts';

export interface PhysicalDriverOptions {
  stateDir: string;
  /**
   * The boot networks this host serves, matched to an appliance by RuntimeNetwork.name. Always
   * explicit (bridge, namespace or not, server address): the driver never guesses which wire
   * its machines are on. None configured: the driver reports itself unavailable.
   */
  networks?: BootNetwork[];
  /** Opens a sealed BMC password (the control plane's SecretBox.open). */
  unseal?: (sealed: string) => string;
  /** How long a start waits for the machine to answer before failing (default 180 s). */
  bootTimeoutMs?: number;
  /** Where Debian's ipxe package keeps undionly.kpxe and ipxe.efi. */
  ipxeDir?: string;
}

/**
 * The `physical` driver: an appliance is a server that network-boots the appliance's kernel and
 * runs its root filesystem from RAM. Power goes through the server's BMC (IPMI), the boot
 * through this host's boot service for the appliance's network (DHCP reservation + iPXE script
 * + exported files, see src/boot).
 *
 * `ensure(running)`: export the boot's files, write the machine's entry (only that machine may
 * fetch the export, until the boot timeout), set the next boot to the network, power on (or
 * reset a machine that is on), and report running once the appliance answers HTTP on port 80 at
 * its address (and SSH, when a login was asked for): a server has no console this host can read.
 * By then the export is gone (the file server serves the root tarball once) and the machine's
 * script points at nothing; a later boot gets a fresh export. `ensure(stopped)`: power off,
 * remove the entry and the export, keep the record, so `inspect` says stopped. `destroy`: the
 * same and the record too.
 *
 * One operation at a time per appliance (a per-id mutex). The machine is assumed to be the
 * appliance's alone, which the scheduler guarantees; even so, nothing here powers off or
 * unassigns a machine whose current boot entry belongs to another appliance. `pid` is always
 * null: nothing of the appliance runs on this host.
 */
export class PhysicalDriver implements Driver, PowerCapability {
  readonly virtualization = 'physical' as const;
  private readonly records: MachineRecords;
  private readonly services = new Map<string, BootService>();
  private readonly locks = new KeyedMutex();
  private readonly unseal: (sealed: string) => string;
  private readonly bootTimeoutMs: number;

  constructor(opts: PhysicalDriverOptions) {
    this.records = new MachineRecords(opts.stateDir);
    for (const network of opts.networks ?? []) {
      const dir = join(opts.stateDir, 'boot', network.name);
      this.services.set(network.name, new BootService({ network, dir, ...(opts.ipxeDir ? { ipxeDir: opts.ipxeDir } : {}) }));
    }
    this.unseal =
      opts.unseal ??
      (() => {
        throw new Error('this host was not given a way to open sealed BMC passwords');
      });
    this.bootTimeoutMs = opts.bootTimeoutMs ?? 180_000;
  }

  async probe(): Promise<{ available: boolean; reason: string | null }> {
    if (this.services.size === 0) return { available: false, reason: 'no boot network is configured' };
    if (process.getuid?.() !== 0) return { available: false, reason: 'the physical driver needs root' };
    const tools = [['ipmitool', '-V'], ['dnsmasq', '--version'], ['curl', '--version'], ['tar', '--version']] as const;
    for (const [bin, arg] of tools) {
      const r = await execAllowFail(bin, [arg]).catch(() => null);
      if (r === null || r.exitCode !== 0) return { available: false, reason: `${bin} is not installed` };
    }
    return { available: true, reason: null };
  }

  ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    const id = assertId(spec.applianceId);
    return this.locks.run(id, async () => {
      if (desired === 'running') return this.start(spec);
      const rec = await this.records.read(id);
      if (rec !== null) await this.release(rec, 'stop');
      return observation('stopped', null, null, rec === null ? {} : handle(rec));
    });
  }

  async inspect(applianceId: string): Promise<Observation> {
    const id = assertId(applianceId);
    const rec = await this.records.read(id);
    if (rec === null) return observation('absent', null, null, {});
    if (rec.bootRequestedAt === null) return observation('stopped', null, null, handle(rec));
    const power = await driverCall('physical', id, 'inspect', () => this.ipmi(rec.machine).powerStatus());
    const owner = await this.service(rec.network).entryOwner(rec.machine.mac);
    if (power === 'on' && owner === id) {
      return observation('running', rec.startedAt === null ? 'booting' : null, rec.startedAt, handle(rec));
    }
    const why = power === 'off' ? 'the machine is powered off' : `the machine boots ${owner ?? 'nothing'} now`;
    return observation('stopped', why, null, handle(rec));
  }

  destroy(applianceId: string): Promise<void> {
    const id = assertId(applianceId);
    return this.locks.run(id, async () => {
      const rec = await this.records.read(id);
      if (rec !== null) await this.release(rec, 'destroy');
      for (const s of this.services.values()) await s.removeExports(id);
      await this.records.remove(id);
    });
  }

  async list(): Promise<string[]> {
    const ids = new Set(await this.records.ids());
    for (const s of this.services.values()) for (const id of await s.exportedAppliances()) ids.add(id);
    return [...ids].sort();
  }

  /**
   * A server's power through its BMC, booted by an appliance or idle. The machine's own lock
   * is not taken: a status read is harmless during a boot, and on/off of a machine an appliance
   * holds is the scheduler's to prevent (the control plane only does it to idle servers).
   */
  async machinePower(machine: RuntimeMachine, action: MachinePowerAction): Promise<'on' | 'off'> {
    const ipmi = this.ipmi(machine);
    const subject = `resource ${machine.resourceId}`;
    if (action === 'on') await driverCall('physical', subject, 'power on', () => ipmi.powerOn());
    if (action === 'off') await driverCall('physical', subject, 'power off', () => ipmi.powerOff());
    if (action !== 'status') return action;
    return driverCall('physical', subject, 'power status', () => ipmi.powerStatus());
  }

  /**
   * Reports machines without a reservation that network-boot on any of this host's boot
   * networks (see src/boot/discovery.ts); starts the boot services so they are heard.
   */
  async onDiscovered(listener: (m: DiscoveredMachine) => void): Promise<() => void> {
    const offs = [...this.services.values()].map((s) => s.onDiscovered(listener));
    await this.startBootServices();
    return () => offs.forEach((off) => off());
  }

  /** Starts (or adopts) every boot service; a start also does this for its own network. */
  async startBootServices(): Promise<void> {
    for (const s of this.services.values()) await s.start();
  }

  /** Stops the boot services' daemons (DHCP, TFTP, HTTP); every file and record stays. */
  async shutdown(): Promise<void> {
    for (const s of this.services.values()) await s.stop();
  }

  private async start(spec: RuntimeSpec): Promise<Observation> {
    const id = spec.applianceId;
    const { machine, kernel } = requireBootable(spec);
    // Checked before anything is touched: a spec that cannot be booted fails alone.
    const seed = buildSeed({ hostname: spec.hostname, login: spec.login ?? null, configSshKey: spec.configSshKey ?? null });
    const service = this.service(spec.network.name);
    const ipmi = this.ipmi(machine);
    let rec = await this.records.read(id);
    if (rec !== null && (rec.machine.mac !== machine.mac || rec.network !== spec.network.name)) {
      await this.release(rec, 'stop'); // the appliance moved to another machine or network
      rec = null;
    }
    const power = await driverCall('physical', id, 'power status', () => ipmi.powerStatus());
    const requestedAt = rec?.bootRequestedAt ?? null;
    if (rec && requestedAt && rec.exportToken && power === 'on' && (await service.entryOwner(machine.mac)) === id) {
      // A boot asked for before: up already (a repeated ensure), or still coming up (an ensure
      // cut short). One that was up and answers no more is booted again below.
      const booted = rec;
      if (booted.startedAt !== null && (await service.answersHttp(booted.address))) {
        // Up: it needs nothing of its export (gone already, see finishBoot); this only makes
        // sure of that for a boot an earlier agent finished.
        await service.booted(machine.mac, id);
        return observation('running', null, booted.startedAt, handle(booted));
      }
      const left = this.bootTimeoutMs - (Date.now() - Date.parse(requestedAt));
      if (booted.startedAt === null && left > 0) {
        return this.releasingOnFailure(booted, () => this.finishBoot(booted, spec, service, ipmi, left));
      }
    }
    const fresh: MachineRecord = {
      applianceId: id,
      network: spec.network.name,
      address: ipv4Addressing(spec.network).address,
      machine: { ...machine, mac: normalizeMac(machine.mac) },
      exportToken: null,
      bootRequestedAt: null,
      startedAt: null,
    };
    return this.releasingOnFailure(fresh, async () => {
      await this.records.write(fresh);
      const exp = await service.newExport(id);
      fresh.exportToken = exp.token;
      await this.records.write(fresh);
      await placeFile(kernel.vmlinuzPath, join(exp.dir, 'vmlinuz'));
      if (kernel.initrdPath !== null) await placeFile(kernel.initrdPath, join(exp.dir, 'initrd'));
      const { imagePath, clonePath } = spec.root;
      await writeRootTarball({ imagePath, clonePath, seed, out: join(exp.dir, 'root.tar.gz') });
      const cmdline = bootCmdline(kernel, { rootUrl: `${exp.url}/root.tar.gz`, network: spec.network, hostname: spec.hostname });
      const script = machineScript({
        applianceId: id,
        kernelUrl: `${exp.url}/vmlinuz`,
        initrdUrl: kernel.initrdPath === null ? null : `${exp.url}/initrd`,
        cmdline,
      });
      // The boot window: the machine may fetch its export until it closes, and the start fails
      // if the appliance does not answer by then (a failed start removes the export at once).
      const requestedAt = Date.now();
      const until = new Date(requestedAt + this.bootTimeoutMs);
      await service.assign(fresh.machine.mac, { address: ipv4Addressing(spec.network).address, script, export: { of: exp, until } });
      await driverCall('physical', id, 'bootdev pxe', () => ipmi.bootFromNetwork());
      fresh.bootRequestedAt = new Date(requestedAt).toISOString();
      await this.records.write(fresh);
      await driverCall('physical', id, 'power on', () => (power === 'on' ? ipmi.powerReset() : ipmi.powerOn()));
      return this.finishBoot(fresh, spec, service, ipmi, until.getTime() - Date.now());
    });
  }

  /** Leave nothing half made: a failed start is indistinguishable from one never tried. */
  private async releasingOnFailure(rec: MachineRecord, work: () => Promise<Observation>): Promise<Observation> {
    try {
      return await work();
    } catch (e) {
      await this.release(rec, 'stop').catch(() => undefined);
      throw driverFailure('physical', rec.applianceId, 'start', e);
    }
  }

  /**
   * Waits for the boot to answer, ends its export (the machine has its root: nothing of this
   * boot stays fetchable, see BootService.booted), stamps `startedAt` once, and reports running.
   */
  private async finishBoot(
    rec: MachineRecord,
    spec: RuntimeSpec,
    service: BootService,
    ipmi: Ipmi,
    timeoutMs: number,
  ): Promise<Observation> {
    await awaitUp({ applianceId: rec.applianceId, address: rec.address, login: spec.login ?? null, service, ipmi, timeoutMs });
    await service.booted(rec.machine.mac, rec.applianceId);
    if (rec.startedAt === null) {
      rec.startedAt = new Date().toISOString();
      await this.records.write(rec);
    }
    return observation('running', null, rec.startedAt, handle(rec));
  }

  /**
   * Powers the machine off and removes its entry and this appliance's export, unless the entry
   * now belongs to another appliance (then the machine is left alone). `stop` keeps the record
   * (marked stopped), `destroy` leaves its removal to the caller.
   */
  private async release(rec: MachineRecord, why: 'stop' | 'destroy'): Promise<void> {
    const id = rec.applianceId;
    const service = this.service(rec.network);
    // Every step is tried; the first failure is reported after, and the record keeps saying
    // "booted" until all of them worked, so a retry powers the machine off again.
    let failure: unknown = null;
    const attempt = async (step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (e) {
        failure ??= e;
      }
    };
    const owner = await service.entryOwner(rec.machine.mac);
    if (owner === id || (owner === null && rec.bootRequestedAt !== null)) {
      await attempt(async () => {
        const ipmi = this.ipmi(rec.machine);
        if ((await ipmi.powerStatus()) === 'on') await ipmi.powerOff();
      });
    }
    if (owner === id) await attempt(() => service.unassign(rec.machine.mac));
    await attempt(() => service.removeExports(id));
    if (failure !== null) throw driverFailure('physical', id, why, failure);
    if (why === 'stop') await this.records.write({ ...rec, exportToken: null, bootRequestedAt: null, startedAt: null });
  }

  private service(network: string): BootService {
    const s = this.services.get(network);
    if (!s) {
      throw new FleetyardError('FY_DRIVER_FAILED', `this host serves no boot network named ${network}`, { network });
    }
    return s;
  }

  private ipmi(machine: RuntimeMachine): Ipmi {
    let password: string;
    try {
      password = this.unseal(machine.bmc.passwordSealed);
    } catch {
      throw new FleetyardError('FY_DRIVER_FAILED', `cannot open the BMC password of resource ${machine.resourceId}`, {
        resourceId: machine.resourceId,
      });
    }
    return new Ipmi({ address: machine.bmc.address, port: machine.bmc.port, user: machine.bmc.user, password });
  }
}

function requireBootable(spec: RuntimeSpec): { machine: RuntimeMachine; kernel: NonNullable<RuntimeSpec['kernel']> } {
  const fail = (why: string) =>
    new FleetyardError('FY_DRIVER_FAILED', `physical start of ${spec.applianceId}: ${why}`, { applianceId: spec.applianceId });
  if (!spec.machine) throw fail('no machine (MAC and BMC) was given');
  if (!spec.kernel) throw fail('no kernel was given');
  if (spec.root.format !== 'rootfs-dir') throw fail(`a ${spec.root.format} image cannot be exported as a root tarball`);
  // A server boots from its one registered NIC on its boot network: there is no second to attach.
  if ((spec.moreNetworks ?? []).length > 0) throw fail('a physical server joins only its boot network, not further networks');
  normalizeMac(spec.machine.mac);
  return { machine: spec.machine, kernel: spec.kernel };
}

function handle(rec: MachineRecord): Record<string, unknown> {
  const { machine } = rec;
  return {
    resourceId: machine.resourceId,
    mac: machine.mac,
    bmc: `${machine.bmc.address}:${machine.bmc.port}`,
    address: rec.address,
    bootNetwork: rec.network,
  };
}

function observation(
  state: Observation['state'],
  message: string | null,
  startedAt: string | null,
  h: Record<string, unknown>,
): Observation {
  return { state, pid: null, message, startedAt, handle: h };
}


