import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from '../src/agent/agent.ts';
import { IdentityKey } from '../src/agent/identity-key.ts';
import { TransitKey } from '../src/agent/transit-key.ts';
import { startControlPlane, type ControlPlane } from '../src/control-plane/control-plane.ts';
import type { Appliance } from '../src/domain/appliance.ts';
import type { FleetyardEvent } from '../src/domain/event.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { baseImageTar } from '../test/support/base-image.ts';
import { TestApi } from '../test/support/api.ts';
import { startHostBmc, type HostBmc } from '../test/support/ha/host-bmc.ts';
import { containerHosts, simHosts, type FailoverDriver, type FailoverHosts } from './failover-hosts.ts';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

export type { FailoverDriver } from './failover-hosts.ts';

/** The variants, how many HA appliances fail over at once, and how often each size is measured. */
export const FAILOVER_DRIVERS: readonly FailoverDriver[] = ['sim', 'container'];
export const FAILOVER_SIZES = [1, 50] as const;
export const FAILOVER_RUNS = 3;

/** Every wait of a run is bounded: appliances up or gone, a host no longer live. */
const WAIT_MS = 120_000;

export interface FailoverRun {
  appliances: number;
  /** From the host's death (its agent stopped) to each phase's end, ms. */
  detectMs: number;
  fenceMs: number;
  /** Containers only: the dead host's containers ended by its BMC's power cut (NaN for sim). */
  endedMs: number;
  /** Per appliance: placed elsewhere, and running there. */
  placedMs: number[];
  runningMs: number[];
  /** The last appliance running elsewhere. */
  allRunningMs: number;
}

export interface FailoverResult {
  driver: FailoverDriver;
  /** How the hosts run their appliances, e.g. "container hosts (runc)". */
  hosts: string;
  leaseMs: number;
  fencing: string;
  bySize: Array<{ appliances: number; detect: Summary; fence: Summary; ended: Summary; place: Summary; start: Summary; allRunning: Summary; perAppliance: Summary }>;
  runs: FailoverRun[];
  errors: string[];
  /** What teardown could not remove (containers: mounts, namespaces, cgroups, runc state, bridge). */
  residue: string[];
}

/**
 * Failover of HA appliances from a host that dies to another host, with the default lease (10 s)
 * and the real fencing path: the dead host's BMC is an ipmi_sim powered off with Debian's
 * fence_ipmilan, and the second signal is the other host failing to connect to its probe address.
 * The hosts are agents of this process sharing one storage directory, in two variants, each with
 * a control plane of its own: with the simulated driver the figures are the control plane's own
 * (detect, fence, place, start); with the container driver the appliances are runc containers,
 * the dead host's containers end when its BMC cuts the power, and starting elsewhere is a real
 * container start over the same clone.
 */
export async function measureFailover(signal: AbortSignal): Promise<FailoverResult[]> {
  const out: FailoverResult[] = [];
  for (const driver of FAILOVER_DRIVERS) {
    if (signal.aborted) break;
    out.push(await measureVariant(driver, signal));
  }
  return out;
}

async function measureVariant(driver: FailoverDriver, signal: AbortSignal): Promise<FailoverResult> {
  const result: FailoverResult = { driver, hosts: `${driver} hosts`, leaseMs: 10_000, fencing: 'fence_ipmilan', bySize: [], runs: [], errors: [], residue: [] };
  const dataDir = await mkdtemp(join(tmpdir(), `fy-bench-failover-${driver}-`));
  const storageRoot = join(dataDir, 'storage', 'local');
  const agents: Agent[] = [];
  const bmcs: HostBmc[] = [];
  const hostDirs: string[] = [];
  const applianceIds: string[] = [];
  let hosts: FailoverHosts | undefined;
  let cp: ControlPlane | undefined;
  try {
    hosts = driver === 'sim' ? simHosts() : await containerHosts();
    result.hosts = hosts.description;
    const kind = hosts;
    cp = await startControlPlane({
      dataDir,
      listen: '127.0.0.1:0',
      drivers: [],
      fencing: 'fence_ipmilan',
      // 50 appliances of 1 CPU on one host of this machine's cores.
      cpuAllocationRatio: 64,
      networkBridge: kind.network.bridge,
      networkCidr: kind.network.cidr,
    });
    const api = new TestApi(cp.url, cp.adminToken as string);
    const imageId = (await api.uploadImage('base', baseImageTar())).id;
    const startHost = async (name: string, withBmc: boolean) => {
      const dir = join(dataDir, 'hosts', name);
      await mkdir(dir, { recursive: true });
      hostDirs.push(dir);
      const { token } = await api.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: name });
      const agent = new Agent({
        bus: (cp as ControlPlane).bus,
        transitKey: TransitKey.forDataDir(dir),
        identity: IdentityKey.forDataDir(dir),
        joinToken: token,
        drivers: kind.driversFor(dir),
        storage: new LocalStorage(storageRoot),
        dataDir: dir,
        machineId: `bench-${driver}-${name}`,
        probeListen: { address: '127.0.0.1', port: 0 },
      });
      agents.push(agent);
      const hostId = await agent.start();
      if (withBmc) {
        const bmc = await startHostBmc({ name, dir: join(dir, 'bmc'), powerOffHook: kind.powerOffHook(dir) });
        bmcs.push(bmc);
        await api.ok('PUT', `/api/v1/hosts/${hostId}/bmc`, { ...bmc.bmc });
      }
      return { agent, hostId, dir };
    };
    const hostState = async (hostId: string) => (await api.ok<{ status: { lease?: { state: string } } }>('GET', `/api/v1/resources/${hostId}`)).status.lease?.state;
    let spare = await startHost('spare-0', false);
    for (const size of FAILOVER_SIZES) {
      for (let run = 0; run < FAILOVER_RUNS && !signal.aborted; run++) {
        const victim = await startHost(`victim-${size}-${run}`, true);
        // The spare must not take the appliances before the victim dies: it is paused meanwhile.
        await spare.agent.stop();
        await waitUntil('the spare no longer live', signal, async () => (await hostState(spare.hostId)) !== 'live');
        const ids: string[] = [];
        for (let i = 0; i < size; i++) {
          const body = { name: `ha-${size}-${run}-${i}`, imageId, ha: true, requirements: { virtualization: kind.virtualization, memoryMiB: 16 } };
          ids.push((await api.ok<{ id: string }>('POST', '/api/v1/appliances', body)).id);
          applianceIds.push(ids.at(-1) as string);
        }
        await waitAppliances(api, ids, 'running on the victim', signal, (a) => a?.status.phase === 'running' && a.status.hostId === victim.hostId);
        spare = await startHost(`spare-${size}-${run}`, false);
        const t0 = Date.now();
        // The host dies: its agent stops answering; what it runs goes on until its BMC cuts the power.
        await victim.agent.stop();
        await waitAppliances(api, ids, 'running elsewhere', signal, (a) => a?.status.phase === 'running' && a.status.hostId === spare.hostId);
        const allRunningMs = Date.now() - t0;
        const eventsOf = async (id: string) => (await api.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?limit=1000&objectId=${id}`)).items;
        const events = (await Promise.all([victim.hostId, ...ids].map(eventsOf))).flat();
        const at = (e: FleetyardEvent | undefined) => (e ? Date.parse(e.time) - t0 : Number.NaN);
        const hostEvent = (type: string) => events.find((e) => e.objectId === victim.hostId && e.type === type);
        const last = (id: string, type: string) => events.filter((e) => e.objectId === id && e.type === type).at(-1);
        const placedMs = ids.map((id) => at(last(id, 'appliance.placed')));
        const runningMs = ids.map((id) => at(last(id, 'appliance.running')));
        const endedMs = (await kind.endedAt(victim.dir)) - t0;
        // Never two copies: the dead host's runtime ended before anything was placed elsewhere.
        const left = await kind.stillRunning(victim.dir);
        if (driver !== 'sim' && !Number.isFinite(endedMs)) result.errors.push(`${driver} ${size} run ${run}: the dead host's power cut did not report its containers ended`);
        if (left.length > 0) result.errors.push(`${driver} ${size} run ${run}: the fenced host still runs ${left.join(', ')}`);
        if (endedMs > Math.min(...placedMs)) result.errors.push(`${driver} ${size} run ${run}: placed elsewhere at ${Math.min(...placedMs)} ms, before the dead host's containers ended at ${endedMs} ms`);
        result.runs.push({ appliances: size, detectMs: at(hostEvent('host.failed')), fenceMs: at(hostEvent('host.fenced')), endedMs, placedMs, runningMs, allRunningMs });
        await Promise.all(ids.map((id) => api.ok('DELETE', `/api/v1/appliances/${id}`)));
        await waitAppliances(api, ids, 'deleted', signal, (a) => a === undefined);
        // What the power cut left on the dead host's disk goes, as its rejoin would remove it.
        await kind.sweep(victim.dir);
      }
      const runs = result.runs.filter((r) => r.appliances === size);
      result.bySize.push({
        appliances: size,
        detect: roundSummary(summarize(runs.map((r) => r.detectMs))),
        fence: roundSummary(summarize(runs.map((r) => r.fenceMs))),
        ended: roundSummary(summarize(runs.map((r) => r.endedMs).filter(Number.isFinite))),
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
    const closed = (await hosts?.close(hostDirs, applianceIds, dataDir, storageRoot)) ?? { errors: [], residue: [] };
    result.errors.push(...closed.errors);
    result.residue.push(...closed.residue);
    // A mount left under it would take the image and clones with it: keep the dir then, and say so.
    if (closed.residue.length === 0) await rm(dataDir, { recursive: true, force: true });
    else result.residue.push(`dir ${dataDir}`);
  }
  for (const r of result.runs) {
    r.detectMs = roundMs(r.detectMs);
    r.fenceMs = roundMs(r.fenceMs);
    r.endedMs = roundMs(r.endedMs);
  }
  return result;
}

/** Polls `cond` every 50 ms for up to WAIT_MS; gives up early when the run is aborted. */
async function waitUntil(what: string, signal: AbortSignal, cond: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + WAIT_MS;
  while (!(await cond())) {
    signal.throwIfAborted();
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${WAIT_MS / 1000} s`);
    // The run's own reason (deadline, Ctrl-C), not the timer's bare AbortError.
    await sleep(50, undefined, { signal }).catch(() => signal.throwIfAborted());
  }
}

/**
 * Waits until every appliance satisfies `done` (undefined: it is gone), naming the laggards on
 * timeout. One list request a poll (a run has at most 50 appliances), not one per appliance,
 * so watching 50 does not load the control plane being measured.
 */
async function waitAppliances(api: TestApi, ids: string[], what: string, signal: AbortSignal, done: (a: Appliance | undefined) => boolean): Promise<void> {
  let pending: string[] = [];
  try {
    await waitUntil(what, signal, async () => {
      const all = new Map((await api.ok<{ items: Appliance[] }>('GET', '/api/v1/appliances?limit=1000')).items.map((a) => [a.id, a]));
      pending = ids.filter((id) => !done(all.get(id))).map((id) => {
        const a = all.get(id);
        return `${id}: ${a ? `${a.status.phase} ${a.status.message ?? ''}` : 'gone'}`;
      });
      return pending.length === 0;
    });
  } catch (e) {
    if (signal.aborted) throw e;
    throw new Error(`${e instanceof Error ? e.message : String(e)}; ${pending.length} not there: ${pending.slice(0, 5).join('; ')}`);
  }
}
