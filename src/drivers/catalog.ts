import { join } from 'node:path';
import { ContainerDriver } from './container/container-driver.ts';
import type { Driver } from './driver.ts';
import { SimDriver } from './sim/sim-driver.ts';

/**
 * The one place that says which drivers Fleetyard has. Adding a driver means adding a line
 * here; there is no discovery by file name or package scan. Each driver gets its own
 * subdirectory of the agent's state dir. Whether a driver can actually run on this host is its
 * `probe()`'s answer, asked by the caller.
 */
export function builtinDrivers(opts: { stateDir: string }): Driver[] {
  return [
    new ContainerDriver({ stateDir: join(opts.stateDir, 'container') }),
    new SimDriver({ stateDir: join(opts.stateDir, 'sim') }),
  ];
}
