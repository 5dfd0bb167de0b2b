import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REQUIREMENTS } from '../../../src/domain/appliance.ts';
import type { RuntimeKernel, RuntimeSpec } from '../../../src/drivers/driver.ts';
import { PhysicalDriver } from '../../../src/drivers/physical/physical-driver.ts';
import { exec } from '../../../src/host/exec.ts';
import { SecretBox } from '../../../src/identity/secret-box.ts';
import { LocalStorage } from '../../../src/storage/local-storage.ts';
import { baseImageTar } from '../base-image.ts';
import { testKernel } from '../test-kernel.ts';
import { createPxeLab, type PxeLab } from './pxe-lab.ts';
import { startSimServer, type SimServer } from './sim-bmc.ts';

/**
 * Simulated bare metal for the physical driver's tests: a PXE lab network (pxe-lab.ts), the
 * base image in a local storage, the test kernel, a secret box for BMC passwords, a physical
 * driver serving the lab, and simulated servers (sim-bmc.ts) added on demand.
 *
 * `cleanup()` destroys whatever the driver still has, stops the boot service, powers off and
 * stops every server, deletes the lab and the files, and answers the processes of this fixture
 * still alive afterwards (so a test can assert there are none).
 */
export interface MetalFixture {
  lab: PxeLab;
  stateDir: string;
  storage: LocalStorage;
  box: SecretBox;
  driver: PhysicalDriver;
  kernel: RuntimeKernel;
  /** A powered-off server with a tap on the lab network. */
  addServer(name: string, mac: string): Promise<SimServer>;
  /** A spec booting `applianceId` on `machine` at the lab's n-th address. */
  specFor(applianceId: string, machine: SimServer, n: number): Promise<RuntimeSpec>;
  /** The boot service's directory of the lab network (see src/boot/boot-paths.ts). */
  bootDir(): string;
  cleanup(): Promise<string[]>;
}

export async function makeMetalFixture(prefix: string): Promise<MetalFixture> {
  const stateDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const storage = new LocalStorage(stateDir);
  const box = SecretBox.forDataDir(stateDir);
  const servers: SimServer[] = [];
  let lab: PxeLab | undefined;
  let driver: PhysicalDriver | undefined;

  const cleanup = async (): Promise<string[]> => {
    for (const id of (await driver?.list().catch(() => [])) ?? []) await driver?.destroy(id).catch(() => undefined);
    await driver?.shutdown().catch(() => undefined);
    for (const s of servers) await s.stop().catch(() => undefined);
    await lab?.cleanup();
    await rm(stateDir, { recursive: true, force: true });
    return (await exec('ps', ['-eo', 'pid,args'])).stdout.split('\n').filter((l) => l.includes(stateDir));
  };

  try {
    lab = await createPxeLab();
    const k = testKernel();
    const kernel: RuntimeKernel = { name: 'test', vmlinuzPath: k.vmlinuz, initrdPath: k.initrd, cmdline: k.cmdline };
    await storage.importImage('base', baseImageTar());
    driver = new PhysicalDriver({
      stateDir: join(stateDir, 'driver'),
      networks: [lab.network],
      unseal: (sealed) => box.open(sealed),
      bootTimeoutMs: 120_000,
    });
    const theLab = lab;
    return {
      lab: theLab,
      stateDir,
      storage,
      box,
      driver,
      kernel,
      async addServer(name, mac) {
        const tap = await theLab.addTap(`tap-${name}`);
        const s = await startSimServer({ name, dir: join(stateDir, 'sim', name), netns: theLab.netns, tap, mac });
        servers.push(s);
        return s;
      },
      async specFor(applianceId, machine, n) {
        const { clonePath } = await storage.ensureClone(applianceId);
        return {
          applianceId,
          name: applianceId,
          hostname: `metal-${n}`,
          command: ['/bin/sh', '/etc/fleetyard/init'],
          requirements: DEFAULT_REQUIREMENTS,
          root: { format: 'rootfs-dir', imagePath: storage.imagePath('base'), clonePath },
          network: {
            name: theLab.network.name,
            bridge: theLab.bridge,
            address: theLab.address(n),
            prefixLength: theLab.prefixLength,
            gateway: theLab.network.serverAddress,
          },
          env: {},
          kernel,
          machine: { resourceId: `resource-${machine.name}`, mac: machine.mac, bmc: { ...machine.bmc, passwordSealed: box.seal(machine.bmc.password) } },
        };
      },
      bootDir: () => join(stateDir, 'driver', 'boot', theLab.network.name),
      cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
