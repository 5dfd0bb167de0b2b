import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetyardError } from '../../domain/errors.ts';
import { execAllowFail } from '../../host/exec.ts';
import { deleteNetns, ensureNetns, guardRunningPort, hostVethName, netnsName, netnsPath } from '../../network/netns.ts';
import type {
  ApplianceUsage,
  ConsoleCapability,
  Driver,
  MetricsCapability,
  Observation,
  RuntimeLogin,
  RuntimeSpec,
} from '../driver.ts';
import { ipv4Addressing } from '../driver.ts';
import { buildSeed, loginOutcome, RESOLV_CONF_PATH, resolvConf, writeRootFile, writeSeed } from '../seed.ts';
import { cgroupPids, removeCgroups } from './cgroups.ts';
import { cgroupUsage } from './cgroup-usage.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { buildOciConfig } from './oci-config.ts';
import { mountOverlay, mountPoints, unmountOverlay } from './overlay.ts';
import { assertId, containerPaths, type ContainerPaths } from './paths.ts';
import { Runc } from './runc.ts';
import { fileSize, readChunk, readFrom, tail, type ChunkStart, type FileChunk } from '../../host/files.ts';
import { isAlive, waitForExit } from '../../host/processes.ts';
import { BridgeCache } from '../../network/bridge-cache.ts';
import { portCounters } from '../../network/interface-counters.ts';
import { driverCall, driverFailure } from '../driver-errors.ts';

/**
 * The `container` driver: one runc container per appliance, its root an overlay of the master
 * image and the appliance's clone, its network a namespace with a veth on each of its networks'
 * bridges (eth0 on the first, the default route; eth1, … on the further ones), its limits cgroup
 * v1 under /fleetyard/<id>.
 *
 * Starting costs six processes (`nft` for the port's filter, two `ip -batch`, `bridge` to pin
 * the port's MAC, one `mount`, one `runc run`); networking and the overlay are prepared
 * concurrently. The appliance runs with the least privilege oci-config.ts describes, on a bridge
 * port that may send only as itself (../../network/port-filter.ts). Operations on one appliance are serialised by a per-id
 * mutex; different appliances proceed in parallel. Keep one instance per state dir: the mutex
 * lives in the instance.
 *
 * Every start writes the seed (../seed.ts: hostname and the user's login) into the mounted root
 * before `runc run`, and, when the network has a DNS zone, `/etc/resolv.conf` naming the gateway
 * (where the network's DNS server answers) and the zone as search domain; both land in the clone's upper dir; with a login, a start reports running
 * only once the appliance's console says the login is ready, and fails (releasing everything)
 * when it says the login failed.
 *
 * Stopping releases everything the runtime holds (process, cgroups, namespace, veth, mount,
 * bundle) and keeps only the clone, which belongs to the storage. So once stopped, an appliance
 * leaves nothing for `inspect` to see and reads as `absent`: on this driver "stopped" and "never
 * started" look the same, and only the caller's spec tells them apart.
 */
export class ContainerDriver implements Driver, ConsoleCapability, MetricsCapability {
  readonly virtualization = 'container' as const;
  private readonly paths: ContainerPaths;
  private readonly runc: Runc;
  private readonly locks = new KeyedMutex();
  private readonly bridges = new BridgeCache();
  /** Appliances whose port this instance made or re-guarded (see `start`). */
  private readonly guarded = new Set<string>();

  constructor(opts: { stateDir: string }) {
    this.paths = containerPaths(opts.stateDir);
    this.runc = new Runc(this.paths.runcRoot);
  }

  async probe(): Promise<{ available: boolean; reason: string | null }> {
    if (process.getuid?.() !== 0) return { available: false, reason: 'the container driver needs root' };
    // nft and bridge guard the appliance's port: without them it would run unfiltered, so not at all.
    const tools = [['runc', '--version'], ['ip', '-V'], ['ethtool', '--version'], ['nft', '--version'], ['bridge', '-V']] as const;
    for (const [bin, arg] of tools) {
      const r = await execAllowFail(bin, [arg]).catch(() => null);
      if (r === null || r.exitCode !== 0) return { available: false, reason: `${bin} is not installed` };
    }
    const fs = await readFile('/proc/filesystems', 'utf8');
    if (!/\toverlay$/m.test(fs)) return { available: false, reason: 'the kernel has no overlayfs' };
    return { available: true, reason: null };
  }

  ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    const id = assertId(spec.applianceId);
    return this.locks.run(id, async () => {
      if (desired === 'running') return this.start(spec);
      await this.release(id);
      return observation('stopped', null, null, null, {});
    });
  }

  async inspect(applianceId: string): Promise<Observation> {
    const id = assertId(applianceId);
    const st = await driverCall('container', id, 'inspect', () => this.runc.state(id));
    if (st?.status === 'running') return observation('running', st.pid, null, st.created, this.handle(id));
    if (st) return observation('stopped', null, `container is ${st.status}`, null, this.handle(id));
    if (existsSync(this.paths.bundle(id))) {
      return observation('stopped', null, 'runtime left over without a container', null, this.handle(id));
    }
    return observation('absent', null, null, null, {});
  }

  destroy(applianceId: string): Promise<void> {
    const id = assertId(applianceId);
    return this.locks.run(id, () => this.release(id));
  }

  async list(): Promise<string[]> {
    const ids = new Set<string>();
    for (const s of await this.runc.list()) ids.add(s.id);
    try {
      for (const d of await readdir(this.paths.bundlesDir)) ids.add(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const prefix = this.paths.bundlesDir + '/';
    for (const m of await mountPoints()) {
      if (m.startsWith(prefix)) ids.add(m.slice(prefix.length).split('/')[0] as string);
    }
    return [...ids].sort();
  }

  readConsole(applianceId: string, start: ChunkStart, maxBytes: number): Promise<FileChunk> {
    return readChunk(this.paths.consoleLog(assertId(applianceId)), start, maxBytes);
  }

  /** From its cgroup and the host side of its veth; null once it has no cgroup (not running). */
  async metrics(applianceId: string): Promise<ApplianceUsage | null> {
    const id = assertId(applianceId);
    const [cgroup, net] = await Promise.all([cgroupUsage(id), portCounters(hostVethName(id))]);
    if (!cgroup) return null;
    return { ...cgroup, networkReceiveBytes: net?.receiveBytes ?? null, networkTransmitBytes: net?.transmitBytes ?? null };
  }

  private async start(spec: RuntimeSpec): Promise<Observation> {
    const id = spec.applianceId;
    const login = spec.login ?? null;
    // Checked before anything is made on the host: a login that cannot be carried fails alone.
    const seed = buildSeed({ hostname: spec.hostname, login, configSshKey: spec.configSshKey ?? null });
    const resolver = resolvConf(spec.network);
    const existing = await driverCall('container', id, 'state', () => this.runc.state(id));
    if (existing?.status === 'running') {
      // An earlier start may have been cut short before the login was confirmed.
      await this.awaitLogin(id, existing.pid, login, 0).catch(async (e: unknown) => {
        await this.release(id).catch(() => undefined);
        throw e;
      });
      // Running before this instance met it (e.g. since before an upgrade): guard its port once.
      if (!this.guarded.has(id)) {
        const net = spec.network;
        await driverCall('container', id, 'guard', () =>
          guardRunningPort({ applianceId: id, bridge: net.bridge, address: net.address, prefixLength: net.prefixLength, ipv6: net.ipv6 ?? null }),
        );
        this.guarded.add(id);
      }
      return observation('running', existing.pid, null, existing.created, this.handle(id));
    }
    if (spec.root.format !== 'rootfs-dir') {
      throw new FleetyardError('FY_DRIVER_FAILED', `the container driver cannot boot a ${spec.root.format} image`, {
        applianceId: id,
      });
    }
    try {
      // A container that exists but does not run (exited, half created) is replaced, not revived.
      if (existing) await this.runc.deleteForce(id);
      const bundle = this.paths.bundle(id);
      await mkdir(bundle, { recursive: true });
      const rootfsPath = this.paths.rootfs(id);
      const more = spec.moreNetworks ?? [];
      await Promise.all([
        Promise.all([spec.network, ...more].map((n) => this.bridges.ensure(n))).then(() =>
          ensureNetns({
            applianceId: id,
            bridge: spec.network.bridge,
            address: spec.network.address,
            prefixLength: spec.network.prefixLength,
            ipv6: spec.network.ipv6 ?? null,
            mtu: spec.network.mtu,
            gateway: spec.network.gateway ?? undefined,
            more: more.map((n) => ({ bridge: n.bridge, ...ipv4Addressing(n), ipv6: n.ipv6 ?? null, mtu: n.mtu })),
          }),
        ),
        mountOverlay({
          lowerDir: spec.root.imagePath,
          upperDir: join(spec.root.clonePath, 'upper'),
          workDir: join(spec.root.clonePath, 'work'),
          mergedDir: rootfsPath,
        })
          .then(() => writeSeed(rootfsPath, seed))
          .then(() => (resolver === null ? undefined : writeRootFile(rootfsPath, RESOLV_CONF_PATH, resolver, 0o644))),
        writeFile(
          this.paths.config(id),
          JSON.stringify(buildOciConfig({ spec, rootfsPath, netnsPath: netnsPath(id) }), null, 2),
        ),
      ]);
      const consoleLog = this.paths.consoleLog(id);
      // A replaced container's console is appended to: only what this boot writes counts.
      const bootOffset = await fileSize(consoleLog);
      const pid = await this.runc.runDetached(id, bundle, consoleLog, this.paths.pidFile(id));
      this.guarded.add(id);
      await this.awaitLogin(id, pid, login, bootOffset);
      return observation('running', pid, null, await this.createdAt(id), this.handle(id));
    } catch (e) {
      // Leave nothing half made: a failed start is indistinguishable from one never tried.
      await this.release(id).catch(() => undefined);
      throw driverFailure('container', id, 'start', e);
    }
  }

  /**
   * Waits until the appliance's console says the login is ready (nothing to wait for without a
   * login). Fails with FY_DRIVER_FAILED and the console's tail when the appliance reports a
   * failure, exits, or says nothing within LOGIN_DEADLINE_MS; the deadline only turns a hang into
   * an error, a healthy boot takes a fraction of it.
   */
  private async awaitLogin(id: string, pid: number, login: RuntimeLogin | null, fromOffset: number): Promise<void> {
    if (login === null) return;
    const log = this.paths.consoleLog(id);
    const fail = async (why: string) =>
      new FleetyardError(
        'FY_DRIVER_FAILED',
        `container start of ${id} failed: login of ${login.user} ${why}; console:\n${await tail(log, 2048)}`,
        { applianceId: id, op: 'login', user: login.user },
      );
    const deadline = Date.now() + LOGIN_DEADLINE_MS;
    for (;;) {
      const outcome = loginOutcome(await readFrom(log, fromOffset, 65_536), login.user);
      if (outcome.state === 'ready') return;
      if (outcome.state === 'failed') throw await fail(`failed: ${outcome.reason}`);
      if (!(await isAlive(pid))) throw await fail('was not applied: the appliance exited');
      if (Date.now() >= deadline) throw await fail(`was not confirmed within ${LOGIN_DEADLINE_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops the container and releases every runtime object of the appliance except its clone. */
  private async release(id: string): Promise<void> {
    this.guarded.delete(id);
    try {
      const st = await this.runc.state(id);
      if (st?.status === 'running') {
        await this.runc.kill(id, 'TERM');
        if (!(await waitForExit(st.pid, 3000))) {
          await this.runc.kill(id, 'KILL');
          await waitForExit(st.pid, 2000);
        }
      }
      await this.runc.deleteForce(id);
      await killStragglers(id);
      await removeCgroups(id);
      await Promise.all([deleteNetns(id), unmountOverlay(this.paths.rootfs(id))]);
      await rm(this.paths.bundle(id), { recursive: true, force: true });
    } catch (e) {
      throw driverFailure('container', id, 'stop', e);
    }
  }


  /** runc's creation time from its state file, saving a `runc state` process per start. */
  private async createdAt(id: string): Promise<string> {
    try {
      const state = JSON.parse(await readFile(join(this.paths.runcRoot, id, 'state.json'), 'utf8')) as {
        created?: string;
      };
      if (typeof state.created === 'string') return state.created;
    } catch {
      // fall through
    }
    return new Date().toISOString();
  }

  private handle(id: string): Record<string, unknown> {
    return { runcId: id, bundle: this.paths.bundle(id), netns: netnsName(id), hostVeth: hostVethName(id) };
  }
}

/** How long a start waits for the appliance to confirm the login before giving up. */
const LOGIN_DEADLINE_MS = 10_000;

function observation(
  state: Observation['state'],
  pid: number | null,
  message: string | null,
  startedAt: string | null,
  handle: Record<string, unknown>,
): Observation {
  return { state, pid, message, startedAt, handle };
}

/** True once the process is gone or a zombie (its exit is all that is left to collect). */
/**
 * The cgroup is the truth about what belongs to an appliance: if runc's own state was lost (a
 * wiped state dir, a crash mid-create), processes can remain that runc no longer knows. They are
 * killed here so the cgroup, and with it everything else, can go.
 */
async function killStragglers(id: string): Promise<void> {
  const pids = await cgroupPids(id);
  if (pids.length === 0) return;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(pids.map((pid) => waitForExit(pid, 2000)));
}






