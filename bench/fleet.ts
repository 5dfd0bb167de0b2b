import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../src/control-plane/control-plane.ts';
import { ContainerDriver } from '../src/drivers/container/container-driver.ts';
import { mountPoints, unmountOverlay } from '../src/drivers/container/overlay.ts';
import type { Driver } from '../src/drivers/driver.ts';
import type { Accel } from '../src/drivers/qemu/accel.ts';
import { QemuDriver } from '../src/drivers/qemu/qemu-driver.ts';
import { tapName } from '../src/drivers/qemu/paths.ts';
import { exec, execAllowFail } from '../src/host/exec.ts';
import { linkExists, removeBridge } from '../src/network/bridge.ts';
import { netnsName } from '../src/network/netns.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { findLeaks, qemuPids } from '../test/support/host-leaks.ts';
import { BenchApi } from './api.ts';
import { EventWatch } from './event-watch.ts';
import { pickNetwork, type BenchNetwork } from './network.ts';
import { TimedDriver } from './timed-driver.ts';
import { teardownSteps } from './teardown-steps.ts';

const REPO = join(import.meta.dirname, '..');
const CLEANUP_WAIT_MS = 60_000;

export interface BenchFleetOptions {
  /** Also give the embedded agent the real qemu driver (for VM figures), with this accelerator. */
  qemu?: { accel: Accel | 'auto' };
}

/**
 * Everything one benchmark run owns on the host: a temp dir (data dir, images, mounts), a bridge
 * and /24 of its own, and a real control plane in this process listening on 127.0.0.1:0 with the
 * real container driver (and, when asked, the real qemu driver). Built step by step so `close()`
 * can undo whatever part was made, also after a failure halfway through `start()`.
 */
export class BenchFleet {
  tmpDir = '';
  net: BenchNetwork | undefined;
  cp: ControlPlane | undefined;
  api!: BenchApi;
  events!: EventWatch;
  driver!: TimedDriver;
  /** The timed qemu driver, when the fleet was made with `qemu`. */
  qemu: TimedDriver | undefined;
  baseTarball = '';
  baseImageId = '';
  /** Every appliance id this run created, for leak checks and cleanup. */
  readonly applianceIds = new Set<string>();

  constructor(private readonly opts: BenchFleetOptions = {}) {}

  get dataDir(): string {
    return join(this.tmpDir, 'data');
  }

  /** The container driver's state dir, as builtinDrivers() would lay it out. */
  get stateDir(): string {
    return join(this.dataDir, 'run', 'container');
  }

  /** The qemu driver's state dir, as builtinDrivers() would lay it out. */
  get qemuStateDir(): string {
    return join(this.dataDir, 'run', 'qemu');
  }

  get storageRoot(): string {
    return join(this.dataDir, 'storage', 'local');
  }

  get storage(): LocalStorage {
    return new LocalStorage(this.storageRoot);
  }

  async makeTmpDir(): Promise<void> {
    this.tmpDir = await mkdtemp(join(tmpdir(), 'fleetyard-bench-'));
  }

  async start(): Promise<void> {
    this.net = await pickNetwork();
    this.driver = new TimedDriver(new ContainerDriver({ stateDir: this.stateDir }));
    const drivers: Driver[] = [this.driver];
    if (this.opts.qemu) {
      this.qemu = new TimedDriver(new QemuDriver({ stateDir: this.qemuStateDir, accel: this.opts.qemu.accel }));
      drivers.push(this.qemu);
    }
    this.cp = await startControlPlane({
      dataDir: this.dataDir,
      listen: '127.0.0.1:0',
      networkBridge: this.net.bridge,
      networkCidr: this.net.cidr,
      drivers,
      log: false,
      // The benchmark's images are built in its temp dir and imported from there by path.
      importDirs: [this.tmpDir],
    });
    if (!this.cp.agent?.hostId) throw new Error('the embedded agent did not register');
    this.api = new BenchApi(this.cp.url, this.cp.adminToken);
    this.events = await EventWatch.open(this.cp.url, this.cp.adminToken);
    this.baseTarball = join(this.tmpDir, 'base.tar');
    await exec('bash', [join(REPO, 'scripts/build-base-image.sh'), this.baseTarball]);
    this.baseImageId = (await this.api.importImage('bench-base', this.baseTarball)).id;
  }

  /** Host objects still held for these appliances (empty = fully released). */
  leaks(ids: Iterable<string>): Promise<string[]> {
    return findLeaks([...ids], this.stateDir, { storageRoot: this.storageRoot });
  }

  /**
   * Best-effort teardown, every step tried whatever failed before: delete appliances through
   * the API (so the control plane releases them as in production), stop the control plane,
   * sweep what a failed run could have left with the driver itself, delete the bridge, remove
   * the temp dir. Returns what went wrong and what is still on the host afterwards.
   */
  async close(): Promise<{ errors: string[]; residue: string[] }> {
    const { step, errors } = teardownSteps();
    if (this.cp) {
      await step('delete appliances', () => this.deleteAllThroughApi());
      await step('close event stream', () => this.events?.close() ?? Promise.resolve());
      await step('stop control plane', () => (this.cp as ControlPlane).stop());
    }
    if (this.tmpDir) {
      await step('sweep containers', async () => {
        const d = new ContainerDriver({ stateDir: this.stateDir });
        for (const id of await d.list()) await d.destroy(id);
      });
      if (this.opts.qemu) await step('sweep VMs', () => this.sweepVms());
      await step('sweep clones', async () => {
        for (const id of await this.storage.listClones()) await this.storage.removeClone(id);
      });
      await step('sweep mounts', async () => {
        for (const m of (await mountPoints()).reverse()) if (m.startsWith(this.tmpDir + '/')) await unmountOverlay(m);
      });
    }
    if (this.net) await step('remove bridge', () => removeBridge((this.net as BenchNetwork).bridge));
    const residue = await this.residue();
    if (this.tmpDir && residue.length === 0) await step('remove temp dir', () => rm(this.tmpDir, { recursive: true, force: true }));
    return { errors, residue };
  }

  private async deleteAllThroughApi(): Promise<void> {
    const ids = await this.api.listApplianceIds();
    if (ids.length === 0) return;
    const watch = await EventWatch.open((this.cp as ControlPlane).url, (this.cp as ControlPlane).adminToken);
    try {
      await Promise.all(ids.map((id) => this.api.deleteAppliance(id).catch(() => undefined)));
      await Promise.all(ids.map((id) => watch.waitFor(id, 'appliance.deleted', CLEANUP_WAIT_MS)));
    } finally {
      await watch.close();
    }
  }

  /**
   * VMs the API could not delete: the qemu driver destroys what it knows; a QEMU of one of this
   * run's appliances that is still there after that is killed by its pid, and its tap removed.
   */
  private async sweepVms(): Promise<void> {
    const d = new QemuDriver({ stateDir: this.qemuStateDir });
    for (const id of await d.list()) await d.destroy(id);
    for (const id of this.applianceIds) {
      for (const pid of await qemuPids(id)) process.kill(pid, 'SIGKILL');
      if (linkExists(tapName(id))) await execAllowFail('ip', ['link', 'del', tapName(id)]);
    }
  }

  /** What the host still holds after teardown: namespaces, mounts, VMs and taps, the bridge. */
  private async residue(): Promise<string[]> {
    const out: string[] = [];
    const netns = (await exec('ip', ['netns', 'list'])).stdout;
    for (const id of this.applianceIds) if (netns.includes(netnsName(id))) out.push(`netns ${netnsName(id)}`);
    if (this.opts.qemu) {
      for (const id of this.applianceIds) {
        for (const pid of await qemuPids(id)) out.push(`QEMU ${pid} of ${id}`);
        if (linkExists(tapName(id))) out.push(`tap ${tapName(id)}`);
      }
    }
    if (this.tmpDir) for (const m of await mountPoints()) if (m.startsWith(this.tmpDir + '/')) out.push(`mount ${m}`);
    if (this.net && linkExists(this.net.bridge)) out.push(`bridge ${this.net.bridge}`);
    return out;
  }
}
