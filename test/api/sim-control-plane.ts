import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from '../../src/control-plane/control-plane.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';

/**
 * A real control plane (SQLite, in-process bus, HTTP on 127.0.0.1) whose embedded agent has only
 * the simulated driver, so nothing on the host changes. The bridge name and /24 are still unique
 * (`fyt` + 6 hex, 169.254.x.0/24, skipping .169 where cloud metadata lives) so that two suites, or
 * a later driver that does create the bridge, never collide.
 */
export interface SimControlPlane {
  cp: ControlPlane;
  dataDir: string;
  /** Stops the control plane and removes its data directory; safe to call twice. */
  cleanup(): Promise<void>;
}

/** `extra` adds or overrides options of the control plane (upload limits, import directories, …). */
export async function startSimControlPlane(extra: Partial<ControlPlaneOptions> = {}): Promise<SimControlPlane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fy-api-'));
  const third = 1 + ((randomBytes(1)[0] as number) % 253);
  let cp: ControlPlane;
  try {
    cp = await startControlPlane({
      dataDir,
      listen: '127.0.0.1:0',
      drivers: [new SimDriver({ stateDir: join(dataDir, 'sim') })],
      networkBridge: `fyt${randomBytes(3).toString('hex')}`,
      networkCidr: `169.254.${third >= 169 ? third + 1 : third}.0/24`,
      ...extra,
    });
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    cp,
    dataDir,
    async cleanup() {
      if (stopped) return;
      stopped = true;
      try {
        await cp.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
