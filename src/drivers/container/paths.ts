import { join } from 'node:path';

/**
 * Where the container driver keeps things, all derived from the state dir and the appliance id
 * so that a restarted agent (or a leak check) finds them without any other record:
 *
 *   STATE/runc/<id>/                 runc's own state (its --root)
 *   STATE/bundles/<id>/config.json   the OCI bundle
 *   STATE/bundles/<id>/rootfs        the overlay mount point (lower = image, upper = clone)
 *   STATE/bundles/<id>/console.log   stdout and stderr of the appliance's first process
 *
 * Invariant: the bundle dir is made before any other host object of the appliance and removed
 * after all of them, so listing bundle dirs finds every appliance with something left to clean.
 */
export interface ContainerPaths {
  runcRoot: string;
  bundlesDir: string;
  bundle(id: string): string;
  rootfs(id: string): string;
  config(id: string): string;
  consoleLog(id: string): string;
  pidFile(id: string): string;
}

export function containerPaths(stateDir: string): ContainerPaths {
  const bundlesDir = join(stateDir, 'bundles');
  const bundle = (id: string) => join(bundlesDir, assertId(id));
  return {
    runcRoot: join(stateDir, 'runc'),
    bundlesDir,
    bundle,
    rootfs: (id) => join(bundle(id), 'rootfs'),
    config: (id) => join(bundle(id), 'config.json'),
    consoleLog: (id) => join(bundle(id), 'console.log'),
    pidFile: (id) => join(bundle(id), 'init.pid'),
  };
}

/** runc container ids and path components: keep them boring. */
export function assertId(id: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(id)) throw new RangeError(`not a valid appliance id: ${id}`);
  return id;
}
