import { join } from 'node:path';
import { ContainerDriver } from './container/container-driver.ts';
import type { Driver } from './driver.ts';
import { PhysicalDriver, type PhysicalDriverOptions } from './physical/physical-driver.ts';
import { QemuDriver } from './qemu/qemu-driver.ts';
import { SimDriver } from './sim/sim-driver.ts';

/**
 * The one place that says which drivers Fleetyard has. Adding a driver means adding a line
 * here; there is no discovery by file name or package scan. Each driver gets its own
 * subdirectory of the agent's state dir. Whether a driver can actually run on this host is its
 * `probe()`'s answer, asked by the caller.
 */
export function builtinDrivers(opts: {
  stateDir: string;
  /** The physical driver's boot networks and BMC password opener; without them it is unavailable. */
  physical?: Omit<PhysicalDriverOptions, 'stateDir'>;
}): Driver[] {
  return [
    new ContainerDriver({ stateDir: join(opts.stateDir, 'container') }),
    new QemuDriver({ stateDir: join(opts.stateDir, 'qemu') }),
    new SimDriver({ stateDir: join(opts.stateDir, 'sim') }),
    new PhysicalDriver({ ...opts.physical, stateDir: join(opts.stateDir, 'physical') }),
  ];
}
