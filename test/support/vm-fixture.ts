import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import type { RuntimeLogin, RuntimeSpec } from '../../src/drivers/driver.ts';
import { QemuDriver } from '../../src/drivers/qemu/qemu-driver.ts';
import { tapName } from '../../src/drivers/qemu/paths.ts';
import { execAllowFail } from '../../src/host/exec.ts';
import { DiskImages } from '../../src/storage/disk-images.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';
import { baseImageTar } from './base-image.ts';
import { findVmLeaks, makeTestNetwork, qemuPids, type TestNetwork } from './host-leaks.ts';
import { testKernel, type TestKernel } from './test-kernel.ts';

/**
 * What the VM tests share: a fresh state dir holding a LocalStorage with the base image
 * (scripts/build-base-image.sh) and its base disk, the test kernel set
 * (scripts/build-test-kernel.sh), and a bridge on an unused 169.254.x.0/24. `cleanup` removes
 * every VM, QEMU process, tap, clone and file the fixture's appliances could have left, whether
 * the tests passed or not.
 */
export interface VmFixture {
  stateDir: string;
  /** The qemu driver's own state dir (what a QemuDriver of the tests is given). */
  driverDir: string;
  storage: LocalStorage;
  disks: DiskImages;
  net: TestNetwork;
  kernel: TestKernel;
  /** A spec with a disk clone of the base image, the next free address and hostname vm-N. */
  makeSpec(applianceId: string, login?: RuntimeLogin | null): Promise<RuntimeSpec>;
  /** Live QEMU processes of the appliance, found by name as an operator would (`pgrep -f`). */
  qemuPids(applianceId: string): Promise<number[]>;
  /** What the host still holds of these appliances; empty once they are destroyed. */
  leaks(applianceIds: string[]): Promise<string[]>;
  cleanup(): Promise<void>;
}

export const IMAGE_ID = 'base';

export async function makeVmFixture(prefix: string): Promise<VmFixture> {
  const stateDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const driverDir = join(stateDir, 'qemu');
  const storage = new LocalStorage(stateDir);
  const disks = new DiskImages(storage);
  const kernel = testKernel();
  const net = await makeTestNetwork();
  await storage.importImage(IMAGE_ID, baseImageTar());
  await disks.ensureBaseDisk(IMAGE_ID);
  const used: string[] = [];
  let nextHost = 1;

  return {
    stateDir,
    driverDir,
    storage,
    disks,
    net,
    kernel,
    qemuPids,
    async makeSpec(applianceId, login = null) {
      used.push(applianceId);
      const n = nextHost++;
      return {
        applianceId,
        name: applianceId,
        hostname: `vm-${n}`,
        command: ['/bin/sh', '/etc/fleetyard/init'],
        requirements: { ...DEFAULT_REQUIREMENTS, memoryMiB: 128 },
        root: { format: 'qcow2', imagePath: disks.baseDiskPath(IMAGE_ID), clonePath: await disks.ensureDiskClone(IMAGE_ID, applianceId) },
        network: { name: 'test', bridge: net.bridge, address: net.address(n), prefixLength: net.prefixLength, gateway: net.gateway },
        env: {},
        login,
        kernel: { name: 'test', vmlinuzPath: kernel.vmlinuz, initrdPath: kernel.initrd, cmdline: kernel.cmdline },
      };
    },
    leaks: (ids) => findVmLeaks(ids, driverDir),
    async cleanup() {
      const driver = new QemuDriver({ stateDir: driverDir, accel: 'tcg' });
      const ids = new Set([...used, ...(await driver.list())]);
      for (const id of ids) {
        await driver.destroy(id).catch(() => undefined);
        // Whatever the driver could not end (a test that broke its state on purpose).
        for (const pid of await qemuPids(id)) process.kill(pid, 'SIGKILL');
        await execAllowFail('ip', ['link', 'del', tapName(id)]);
        await storage.removeClone(id);
      }
      await net.cleanup();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
