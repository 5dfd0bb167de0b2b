import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from '../../../src/agent/agent.ts';
import { IdentityKey } from '../../../src/agent/identity-key.ts';
import { TransitKey } from '../../../src/agent/transit-key.ts';
import type { Bus } from '../../../src/bus/bus.ts';
import type { Clock } from '../../../src/domain/clock.ts';
import { SimDriver } from '../../../src/drivers/sim/sim-driver.ts';
import { LocalStorage } from '../../../src/storage/local-storage.ts';
import type { TestApi } from '../api.ts';
import { startHostBmc, type HostBmc } from './host-bmc.ts';

/**
 * A simulated host (an in-process agent with the sim driver) behind a real simulated BMC
 * (ipmi_sim): its agent runs while the BMC's power is on and stops when it is cut, as a real
 * machine's would; powering it on again starts its agent anew from the same directory (it
 * registers with its identity, no join token).
 */
export interface PoweredSimHost {
  name: string;
  hostId: string;
  bmc: HostBmc;
  /** Whether its agent is running now. */
  running(): boolean;
  stop(): Promise<void>;
}

/**
 * The agent of a simulated host kept in `dir`: the same identity each time it is made, so a
 * machine powered on again registers as the host it was (no join token needed after the first).
 */
export function simHostAgent(o: { dir: string; bus: Bus; storageDir: string; machineId: string; clock?: Clock | undefined; heartbeatMs?: number | undefined; joinToken?: string | undefined; shutdownCommand?: readonly string[] }): Agent {
  return new Agent({
    bus: o.bus,
    transitKey: TransitKey.forDataDir(o.dir),
    identity: IdentityKey.forDataDir(o.dir),
    joinToken: o.joinToken,
    drivers: [new SimDriver({ stateDir: join(o.dir, 'sim') })],
    storage: new LocalStorage(o.storageDir),
    dataDir: o.dir,
    machineId: o.machineId,
    clock: o.clock,
    heartbeatMs: o.heartbeatMs ?? 100,
    shutdownCommand: o.shutdownCommand,
  });
}

export async function startPoweredSimHost(opts: { name: string; dir: string; api: TestApi; bus: Bus; clock?: Clock; heartbeatMs?: number; /** The storage every host reaches (the control plane's DATA_DIR/storage/local). */ storageDir: string }): Promise<PoweredSimHost> {
  const dir = join(opts.dir, opts.name);
  mkdirSync(dir, { recursive: true });
  const { token } = await opts.api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: opts.name });
  const machineId = `power-${opts.name}-${randomBytes(4).toString('hex')}`;
  const agentOf = (joinToken?: string) => simHostAgent({ dir, bus: opts.bus, storageDir: opts.storageDir, machineId, clock: opts.clock, heartbeatMs: opts.heartbeatMs, joinToken });
  let agent: Agent | null = agentOf(token);
  const hostId = await agent.start();
  const bmc = await startHostBmc({ name: opts.name, dir: join(dir, 'bmc') });
  await opts.api.ok('PUT', `/api/v1/hosts/${hostId}/bmc`, { address: bmc.bmc.address, port: bmc.bmc.port, user: bmc.bmc.user, password: bmc.bmc.password });

  let stopped = false;
  // The machine: its agent follows its power.
  const follow = (async () => {
    while (!stopped) {
      const power = await bmc.power();
      if (power === 'off' && agent) {
        const a = agent;
        agent = null;
        await a.stop().catch(() => undefined);
      } else if (power === 'on' && !agent) {
        const a = agentOf();
        // A start that fails (the control plane busy) is tried again at the next look.
        if (await a.start().then(() => true, () => false)) agent = a;
        else await a.stop().catch(() => undefined);
      }
      await sleep(100);
    }
  })();
  return {
    name: opts.name,
    hostId,
    bmc,
    running: () => agent !== null,
    async stop() {
      stopped = true;
      await follow.catch(() => undefined);
      await agent?.stop().catch(() => undefined);
      agent = null;
      await bmc.stop();
    },
  };
}
