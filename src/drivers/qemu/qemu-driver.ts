import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exec, execAllowFail } from '../../host/exec.ts';
import { KeyedMutex } from '../container/keyed-mutex.ts';
import { ipv4Addressing, type ApplianceUsage, type ConsoleCapability, type Driver, type MetricsCapability, type Observation, type RuntimeEventCapability, type RuntimeSpec } from '../driver.ts';
import type { NoCloudSeed } from '../../config/cloud-init-seed.ts';
import { noCloudSeedOf } from '../nocloud-seed.ts';
import { buildSeed } from '../seed.ts';
import { writeCidataImage } from './cidata.ts';
import { chooseAccel, confirmKvm, type Accel, type AccelChoice } from './accel.ts';
import { fileSize, readChunk, type ChunkStart, type FileChunk } from '../../host/files.ts';
import { awaitBoot } from './console.ts';
import { BridgeCache } from '../../network/bridge-cache.ts';
import { driverFailure } from '../driver-errors.ts';
import { qemuArgs } from './qemu-command.ts';
import { VmEvents, type VmEventListener } from './qemu-events.ts';
import { findQemu, killHard, readPid } from './qemu-process.ts';
import { MAX_NICS, macAddress, qemuName, qemuPaths, tapName, type QemuPaths } from './paths.ts';
import { ensureTap, removeTap, removeTaps } from './tap.ts';
import { qmpSession, stopQemu } from './vm-control.ts';
import { vmUsage } from './vm-usage.ts';

export interface QemuDriverOptions {
  stateDir: string;
  /** 'auto' (the default) uses KVM only when a test run proves it works; see accel.ts. */
  accel?: Accel | 'auto';
  /** How long a start waits for the guest to say it is up (a hang becomes an error, not a wait). */
  bootTimeoutMs?: number;
}

/** What a boot recorded before QEMU started, so a restarted driver can adopt the VM. */
interface BootRecord {
  startedAt: string;
  consoleOffset: number;
  accel: Accel;
}

/**
 * The `qemu` driver: one QEMU process per appliance, booting the appliance's kernel with its disk
 * clone (a qcow2 over the image's base disk, made by src/storage/disk-images.ts) on a tap on the
 * network's bridge. Paths and names: paths.ts; command line: qemu-command.ts.
 *
 * QEMU daemonizes, so VMs outlive the control plane. `ensure(running)` first looks for a QEMU of
 * the appliance (pidfile, then /proc) and, when its QMP answers, adopts it instead of starting a
 * second one; that is how a restarted control plane finds its VMs again. A start is reported
 * running only when the console shows `fleetyard-appliance <hostname> up` (and the login ready,
 * when one was asked for); a start that fails leaves nothing but the console log.
 *
 * Stopping presses the power button (QMP system_powerdown) and waits for the guest to power off,
 * then asks QEMU to quit, then kills it; the tap, sockets and pidfile go, the disk clone stays
 * (the storage owns it) and so does the console log, so a stopped VM reads as 'stopped'.
 * `destroy` also removes the VM dir. Operations on one appliance are serialised; keep one
 * instance per state dir.
 */
export class QemuDriver implements Driver, ConsoleCapability, MetricsCapability, RuntimeEventCapability {
  readonly virtualization = 'qemu' as const;
  private readonly paths: QemuPaths;
  private readonly locks = new KeyedMutex();
  private readonly bridges = new BridgeCache();
  private readonly events = new VmEvents();
  private accel: Promise<AccelChoice> | null = null;
  private confirmed: Promise<AccelChoice> | null = null;
  private readonly bootTimeoutMs: number;

  constructor(private readonly opts: QemuDriverOptions) {
    this.paths = qemuPaths(opts.stateDir);
    this.bootTimeoutMs = opts.bootTimeoutMs ?? 60_000;
  }

  async probe(): Promise<{ available: boolean; reason: string | null }> {
    if (process.getuid?.() !== 0) return { available: false, reason: 'the qemu driver needs root (taps)' };
    // nft and bridge guard the VM's tap (port-filter.ts): without them it would run unfiltered.
    // mkfs.vfat and mcopy make its NoCloud seed volume (cidata.ts).
    const tools = [
      ['qemu-system-x86_64', '--version'], ['ip', '-V'], ['ethtool', '--version'], ['nft', '--version'], ['bridge', '-V'], ['mkfs.vfat', '--help'], ['mcopy', '--version'],
    ] as const;
    for (const [bin, arg] of tools) {
      const r = await execAllowFail(bin, [arg]).catch(() => null);
      if (r === null || r.exitCode !== 0) return { available: false, reason: `${bin} is not installed` };
    }
    await this.accelChoice();
    return { available: true, reason: null };
  }

  /** The accelerator the start-up probe chose (see accel.ts); decided once. */
  accelChoice(): Promise<AccelChoice> {
    this.accel ??= chooseAccel(this.opts.accel ?? 'auto', this.paths.probeImage);
    return this.accel;
  }

  /** The accelerator VMs get: a KVM the start-up probe chose is confirmed once with a real kernel. */
  private vmAccel(vmlinuz: string): Promise<AccelChoice> {
    this.confirmed ??= this.accelChoice().then((c) => (c.accel === 'kvm' && this.opts.accel !== 'kvm' ? confirmKvm(vmlinuz) : c));
    return this.confirmed;
  }

  /** Listens to VM lifecycle events (see qemu-events.ts; the agent forwards them); returns the unsubscribe function. */
  onRuntimeEvent(listener: VmEventListener): () => void {
    return this.events.on(listener);
  }

  ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    const id = spec.applianceId;
    qemuName(id); // validates the id before anything is locked or made
    return this.locks.run(id, async () => {
      if (desired === 'running') return this.start(spec);
      const how = await this.release(id);
      return observation('stopped', null, how, null, {});
    });
  }

  async inspect(applianceId: string): Promise<Observation> {
    const id = applianceId;
    const [pid] = await this.find(id);
    if (pid === undefined) {
      // A stopped VM keeps its dir (and console log) until it is destroyed.
      if (existsSync(this.paths.vmDir(id))) return observation('stopped', null, 'powered off', null, this.handle(id));
      return observation('absent', null, null, null, {});
    }
    const boot = await this.readBoot(id);
    const status = await qmpSession(this.paths.qmpSocket(id), (c) => c.execute<{ status: string }>('query-status'), 2_000).catch(() => null);
    const state = status === null || status.status === 'running' ? 'running' : status.status === 'shutdown' ? 'stopped' : 'failed';
    const message = status === null ? 'QMP did not answer' : status.status === 'running' ? null : `QEMU reports ${status.status}`;
    return observation(state, pid, message, boot?.startedAt ?? null, this.handle(id));
  }

  destroy(applianceId: string): Promise<void> {
    const id = applianceId;
    qemuName(id);
    return this.locks.run(id, async () => {
      await this.release(id);
      await rm(this.paths.vmDir(id), { recursive: true, force: true });
    });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.paths.vmsDir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  readConsole(applianceId: string, start: ChunkStart, maxBytes: number): Promise<FileChunk> {
    return readChunk(this.paths.consoleLog(applianceId), start, maxBytes);
  }

  async metrics(applianceId: string): Promise<ApplianceUsage | null> {
    const [pid] = await this.find(applianceId);
    return pid === undefined ? null : vmUsage(pid, this.paths.qmpSocket(applianceId), tapName(applianceId));
  }

  private async start(spec: RuntimeSpec): Promise<Observation> {
    const id = spec.applianceId;
    const login = spec.login ?? null;
    // Checked before anything is made on the host: what cannot be carried fails alone.
    const seed = buildSeed({ hostname: spec.hostname, login, configSshKey: spec.configSshKey ?? null, moreInterfaces: seedInterfaces(spec) });
    const cidata = noCloudSeedOf(spec, [macAddress(id), ...(spec.moreNetworks ?? []).map((_, i) => macAddress(id, i + 1))]);
    qemuArgs(spec, this.paths, 'tcg'); // validates the spec (a kernel, a disk) before the probe needs them
    const choice = await this.vmAccel(spec.kernel?.vmlinuzPath ?? '');
    const args = qemuArgs(spec, this.paths, choice.accel);
    try {
      let pid = await this.adoptable(id);
      let boot = pid === null ? null : await this.readBoot(id);
      if (pid === null || boot === null) {
        if (pid !== null) await this.release(id, false);
        boot = { startedAt: new Date().toISOString(), consoleOffset: await fileSize(this.paths.consoleLog(id)), accel: choice.accel };
        pid = await this.launch(spec, { seed, cidata }, boot, args);
      }
      this.events.watch(id, this.paths.eventsSocket(id));
      await awaitBoot({
        applianceId: id,
        consoleLog: this.paths.consoleLog(id),
        fromOffset: boot.consoleOffset,
        hostname: spec.hostname,
        user: login?.user ?? null,
        pid,
        timeoutMs: this.bootTimeoutMs,
      });
      return observation('running', pid, null, boot.startedAt, this.handle(id));
    } catch (e) {
      // Leave nothing running: a failed start is a stopped VM with its console log to read.
      // No power button: a guest that did not come up would not answer it.
      await this.release(id, false).catch(() => undefined);
      throw driverFailure('qemu', id, 'start', e);
    }
  }

  /**
   * The pid of a QEMU of this appliance that answers on QMP, or null. A QEMU still launching
   * shows as two processes (the launcher and the daemonized VM) until its pidfile is written and
   * the launcher leaves; that settles within the wait. One that does not answer within it
   * (wedged, or its launch failed) is killed with every other QEMU of the appliance, so the
   * caller starts afresh and there is never a second QEMU next to a first.
   */
  private async adoptable(id: string): Promise<number | null> {
    for (const deadline = Date.now() + 5_000; ; ) {
      const pids = await this.find(id);
      if (pids.length === 0) return null;
      const pid = pids[0] as number;
      const daemonized = (await readPid(this.paths.pidFile(id))) === pid;
      if (daemonized && (await qmpSession(this.paths.qmpSocket(id), (c) => c.execute('query-status'), 1_000).then(() => true, () => false))) {
        for (const other of pids.slice(1)) await killHard(other);
        return pid;
      }
      if (Date.now() >= deadline) {
        for (const p of pids) await killHard(p);
        return null;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Makes the host side (VM dir, bridge, tap), starts QEMU and returns its pid. */
  private async launch(spec: RuntimeSpec, seeds: { seed: string; cidata: NoCloudSeed }, boot: BootRecord, args: string[]): Promise<number> {
    const id = spec.applianceId;
    const p = this.paths;
    await mkdir(p.vmDir(id), { recursive: true, mode: 0o700 });
    await mkdir(dirname(p.qmpSocket(id)), { recursive: true, mode: 0o700 });
    await this.bridges.ensure(spec.network);
    await ensureTap({
      tap: tapName(id),
      applianceId: id,
      bridge: spec.network.bridge,
      address: ipv4Addressing(spec.network).address,
      ipv6: spec.network.ipv6?.address ?? null,
      mac: macAddress(id),
      mtu: spec.network.mtu,
    });
    // One more guarded tap on each further network's bridge, in NIC order.
    for (const [i, net] of (spec.moreNetworks ?? []).entries()) {
      await this.bridges.ensure(net);
      await ensureTap({
        tap: tapName(id, i + 1),
        applianceId: id,
        bridge: net.bridge,
        address: ipv4Addressing(net).address,
        ipv6: net.ipv6?.address ?? null,
        mac: macAddress(id, i + 1),
        mtu: net.mtu,
      });
    }
    const stale = [p.pidFile(id), p.qmpSocket(id), p.eventsSocket(id), p.seedFile(id)];
    await Promise.all(stale.map((f) => rm(f, { force: true })));
    // Created new, so root-only from the first byte; QEMU reads it before it daemonizes.
    await writeFile(p.seedFile(id), seeds.seed, { mode: 0o600, flag: 'wx' });
    // Rewritten for every boot, like the seed; QEMU reads it as long as the VM runs.
    await writeCidataImage(p.cidataImage(id), seeds.cidata);
    await writeFile(`${p.bootFile(id)}.tmp`, JSON.stringify(boot));
    await rename(`${p.bootFile(id)}.tmp`, p.bootFile(id));
    try {
      // Returns once QEMU has daemonized: its sockets listen and it has read the seed.
      await exec('qemu-system-x86_64', args, { timeoutMs: 30_000 });
    } finally {
      await rm(p.seedFile(id), { force: true });
    }
    const [pid] = await this.find(id);
    if (pid === undefined) throw new Error('QEMU exited at once');
    return pid;
  }

  /**
   * Ends the VM and releases the host side but the VM dir and console log. The guest is asked
   * first (power button; skipped when not `graceful`), then QEMU (quit), then the kernel
   * (SIGKILL). Says which one it took.
   */
  private async release(id: string, graceful = true): Promise<string> {
    let how = 'was not running';
    try {
      const [pid, ...extra] = await this.find(id);
      for (const e of extra) await killHard(e);
      if (pid !== undefined) how = await stopQemu(this.paths.qmpSocket(id), pid, graceful);
      await this.events.unwatch(id);
      await removeTap(tapName(id));
      await removeTaps(Array.from({ length: MAX_NICS - 1 }, (_, i) => tapName(id, i + 1)));
      const p = this.paths;
      const files = [p.pidFile(id), p.qmpSocket(id), p.eventsSocket(id), p.seedFile(id), p.cidataImage(id), p.bootFile(id)];
      await Promise.all(files.map((f) => rm(f, { force: true })));
      return how;
    } catch (e) {
      throw driverFailure('qemu', id, 'stop', e);
    }
  }

  private find(id: string): Promise<number[]> {
    return findQemu(this.paths.pidFile(id), qemuName(id), this.paths.qmpSocket(id));
  }

  private async readBoot(id: string): Promise<BootRecord | null> {
    try {
      return JSON.parse(await readFile(this.paths.bootFile(id), 'utf8')) as BootRecord;
    } catch {
      return null;
    }
  }


  private handle(id: string): Record<string, unknown> {
    return { vm: qemuName(id), qmp: this.paths.qmpSocket(id), tap: tapName(id), console: this.paths.consoleLog(id) };
  }
}

/** The guest's further NICs and their addresses, for the seed (eth1 first). */
function seedInterfaces(spec: RuntimeSpec): Array<{ name: string; address: string; prefixLength: number }> {
  return (spec.moreNetworks ?? []).map((n, i) => ({ name: `eth${i + 1}`, address: ipv4Addressing(n).address, prefixLength: ipv4Addressing(n).prefixLength }));
}

function observation(
  state: Observation['state'],
  pid: number | null,
  message: string | null,
  startedAt: string | null,
  handle: Record<string, unknown>,
): Observation {
  return { state, pid, message, startedAt, handle };
}

