import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../src/agent/agent.ts';
import { IdentityKey } from '../src/agent/identity-key.ts';
import { TransitKey } from '../src/agent/transit-key.ts';
import { startControlPlane, type ControlPlane } from '../src/control-plane/control-plane.ts';
import type { FleetyardEvent } from '../src/domain/event.ts';
import { SimDriver } from '../src/drivers/sim/sim-driver.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { baseImageTar } from '../test/support/base-image.ts';
import { TestApi } from '../test/support/api.ts';
import { startHostBmc, type HostBmc } from '../test/support/ha/host-bmc.ts';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

/** How many HA appliances fail over at once, and how often each size is measured. */
export const FAILOVER_SIZES = [1, 50] as const;
export const FAILOVER_RUNS = 3;

export interface FailoverRun {
  appliances: number;
  /** From the host's death (its agent stopped) to each phase's end, ms. */
  detectMs: number;
  fenceMs: number;
  /** Per appliance: placed elsewhere, and running there. */
  placedMs: number[];
  runningMs: number[];
  /** The last appliance running elsewhere. */
  allRunningMs: number;
}

export interface FailoverResult {
  leaseMs: number;
  fencing: string;
  bySize: Array<{ appliances: number; detect: Summary; fence: Summary; place: Summary; start: Summary; allRunning: Summary; perAppliance: Summary }>;
  runs: FailoverRun[];
  errors: string[];
}

/**
 * Failover of HA appliances from a host that dies to another host, with the default lease (10 s)
 * and the real fencing path: the dead host's BMC is an ipmi_sim powered off with Debian's
 * fence_ipmilan, and the second signal is the other host failing to connect to its probe address.
 * The hosts are agents of this process with the simulated driver, so the figures are the control
 * plane's own: detect (the lease running out and a second signal), fence, place, start.
 */
export async function measureFailover(signal: AbortSignal): Promise<FailoverResult> {
  const result: FailoverResult = { leaseMs: 10_000, fencing: 'fence_ipmilan', bySize: [], runs: [], errors: [] };
  const dataDir = await mkdtemp(join(tmpdir(), 'fy-bench-failover-'));
  const agents: Agent[] = [];
  const bmcs: HostBmc[] = [];
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane({
      dataDir,
      listen: '127.0.0.1:0',
      drivers: [],
      fencing: 'fence_ipmilan',
      // 50 appliances of 1 CPU on one simulated host of this machine's cores.
      cpuAllocationRatio: 64,
      networkBridge: `fyb${randomBytes(3).toString('hex')}`,
      networkCidr: '169.254.231.0/24',
    });
    const api = new TestApi(cp.url, cp.adminToken as string);
    const imageId = (await api.uploadImage('base', baseImageTar())).id;
    const startHost = async (name: string, withBmc: boolean) => {
      const dir = join(dataDir, 'hosts', name);
      await mkdir(dir, { recursive: true });
      const { token } = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: name });
      const agent = new Agent({
        bus: (cp as ControlPlane).bus,
        transitKey: TransitKey.forDataDir(dir),
        identity: IdentityKey.forDataDir(dir),
        joinToken: token,
        drivers: [new SimDriver({ stateDir: join(dir, 'sim') })],
        storage: new LocalStorage(join(dataDir, 'storage', 'local')),
        dataDir: dir,
        machineId: `bench-${name}`,
        probeListen: { address: '127.0.0.1', port: 0 },
      });
      agents.push(agent);
      const hostId = await agent.start();
      if (withBmc) {
        const bmc = await startHostBmc({ name, dir: join(dir, 'bmc') });
        bmcs.push(bmc);
        await api.ok('PUT', `/api/v1/hosts/${hostId}/bmc`, { ...bmc.bmc });
      }
      return { agent, hostId };
    };
    let spare = await startHost('spare-0', false);
    for (const size of FAILOVER_SIZES) {
      for (let run = 0; run < FAILOVER_RUNS && !signal.aborted; run++) {
        const victim = await startHost(`victim-${size}-${run}`, true);
        // The spare must not take the appliances before the victim dies: it is paused meanwhile.
        await spare.agent.stop();
        await waitFor(async () => (await api.ok<{ status: { lease?: { state: string } } }>('GET', `/api/v1/resources/${spare.hostId}`)).status.lease?.state !== 'live', 60_000, signal);
        const ids: string[] = [];
        for (let i = 0; i < size; i++) {
          ids.push((await api.ok<{ id: string }>('POST', '/api/v1/appliances', { name: `ha-${size}-${run}-${i}`, imageId, ha: true, requirements: { virtualization: 'sim', memoryMiB: 16 } })).id);
        }
        await api.waitAppliances(ids, (a) => a?.status.phase === 'running' && a.status.hostId === victim.hostId, 'on the victim', 120_000);
        spare = await startHost(`spare-${size}-${run}`, false);
        const t0 = Date.now();
        await victim.agent.stop();
        await api.waitAppliances(ids, (a) => a?.status.phase === 'running' && a.status.hostId === spare.hostId, 'running elsewhere', 120_000);
        const eventsOf = async (id: string) => (await api.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?limit=1000&objectId=${id}`)).items;
        const events = (await Promise.all([victim.hostId, ...ids].map(eventsOf))).flat();
        const at = (e: FleetyardEvent | undefined) => (e ? Date.parse(e.time) - t0 : Number.NaN);
        const hostEvent = (type: string) => events.find((e) => e.objectId === victim.hostId && e.type === type);
        const last = (id: string, type: string) => events.filter((e) => e.objectId === id && e.type === type).at(-1);
        const placedMs = ids.map((id) => at(last(id, 'appliance.placed')));
        const runningMs = ids.map((id) => at(last(id, 'appliance.running')));
        result.runs.push({ appliances: size, detectMs: at(hostEvent('host.failed')), fenceMs: at(hostEvent('host.fenced')), placedMs, runningMs, allRunningMs: Date.now() - t0 });
        await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
        await api.waitAppliances(ids, (a) => a === undefined, 'deleted', 120_000);
      }
      const runs = result.runs.filter((r) => r.appliances === size);
      result.bySize.push({
        appliances: size,
        detect: roundSummary(summarize(runs.map((r) => r.detectMs))),
        fence: roundSummary(summarize(runs.map((r) => r.fenceMs))),
        place: roundSummary(summarize(runs.flatMap((r) => r.placedMs))),
        start: roundSummary(summarize(runs.flatMap((r) => r.runningMs))),
        allRunning: roundSummary(summarize(runs.map((r) => r.allRunningMs))),
        perAppliance: roundSummary(summarize(runs.flatMap((r) => r.runningMs))),
      });
    }
  } catch (e) {
    result.errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
  } finally {
    for (const a of agents) await a.stop().catch(() => undefined);
    for (const b of bmcs) await b.stop().catch(() => undefined);
    await cp?.stop().catch((e: unknown) => result.errors.push(`stopping the control plane: ${String(e)}`));
    await rm(dataDir, { recursive: true, force: true });
  }
  for (const r of result.runs) {
    r.detectMs = roundMs(r.detectMs);
    r.fenceMs = roundMs(r.fenceMs);
  }
  return result;
}

async function waitFor(cond: () => Promise<boolean>, ms: number, signal: AbortSignal): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end || signal.aborted) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
