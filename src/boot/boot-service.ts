import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execAllowFail } from '../host/exec.ts';
import { inNetwork, validateBootNetwork, type BootNetwork } from './boot-network.ts';
import { assertExportId, bootPaths, type BootPaths } from './boot-paths.ts';
import { ensureDaemon, signalDaemon, stopDaemon } from './daemon.ts';
import { LeaseSpool, leaseHookScript, type DiscoveredMachine } from './discovery.ts';
import { dnsmasqDaemon } from './dnsmasq.ts';
import { fileServerDaemon } from './file-server-daemon.ts';
import { EXPORT_TOKEN, expiredGrants, writeGrant } from './export-grants.ts';
import { bootedScript, bootScript, scriptAppliance } from './ipxe.ts';
import { deleteReservation, listReservations, putReservation, renderHostsFile } from './reservations.ts';

/** Where Debian's `ipxe` package puts the iPXE builds that PXE firmware chain-loads over TFTP. */
export const DEFAULT_IPXE_DIR = '/usr/lib/ipxe';

export interface BootServiceOptions {
  network: BootNetwork;
  /** The service's own directory (see boot-paths.ts); made if missing. */
  dir: string;
  ipxeDir?: string;
  /** Epoch ms now; boot windows are checked against it. */
  now?: () => number;
}

/** One boot of one appliance, as files under the HTTP root. */
export interface BootExport {
  applianceId: string;
  /** Its directory's name: random, new for every boot. */
  token: string;
  dir: string;
  /** The directory's URL, without a trailing slash. */
  url: string;
}

/**
 * The boot service of one network on one host: dnsmasq (DHCP + TFTP), the HTTP file server, a
 * reservation and an iPXE script per machine that has something to boot, and discovery of
 * machines that have nothing (see discovery.ts).
 *
 * `start()` is idempotent and adopts daemons left running by an earlier agent; `stop()` ends
 * them and keeps every file, so a later start serves the same machines. A machine's entry is
 * its reservation plus its script (plus the grant of the export the script boots); `assign`
 * writes them (and makes dnsmasq reread the reservations), `unassign` removes the first two.
 * Exports live under www/exports/<applianceId>/<token>/: a fresh random token per boot, so a
 * URL handed to one boot never serves another boot's files.
 *
 * Tenants on one boot network are kept apart by the file server (machine-access.ts): a script
 * and an export are served only to the address reserved for their machine, an export only until
 * its boot window closes, and its root tarball once, after which the export is gone. `booted`
 * then turns the script into one that points at nothing. `start()` also removes exports whose
 * window closed while nobody was there to do it.
 */
export class BootService {
  readonly network: BootNetwork;
  readonly paths: BootPaths;
  readonly baseUrl: string;
  private readonly ipxeDir: string;
  private readonly now: () => number;
  private readonly listeners = new Set<(m: DiscoveredMachine) => void>();
  private readonly reported = new Map<string, string>();
  private readonly spool: LeaseSpool;
  private starting: Promise<void> | null = null;

  constructor(opts: BootServiceOptions) {
    this.network = validateBootNetwork(opts.network);
    this.paths = bootPaths(opts.dir);
    this.baseUrl = `http://${this.network.serverAddress}:${this.network.httpPort}`;
    this.ipxeDir = opts.ipxeDir ?? DEFAULT_IPXE_DIR;
    this.now = opts.now ?? Date.now;
    this.spool = new LeaseSpool(this.paths.spoolDir, (e) => {
      // A lease that cannot be checked now is not marked reported: the machine's next lease is.
      this.onLease(e).catch(() => undefined);
    });
  }

  /**
   * Makes the files and starts (or adopts) dnsmasq and the file server. Cheap when all is up
   * (a few small writes and two pid checks), so every assignment calls it and a daemon that
   * died is started again; concurrent calls share one run.
   */
  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => (this.starting = null));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const p = this.paths;
    for (const d of [p.dir, p.reservationsDir, p.grantsDir, p.spoolDir, p.tftpDir, p.wwwDir, p.machinesDir, p.exportsDir]) {
      await mkdir(d, { recursive: true, mode: 0o700 });
    }
    for (const id of await expiredGrants(p, this.now())) await this.removeExports(id);
    await writeAtomic(p.bootScript, bootScript(this.baseUrl));
    await writeAtomic(p.leaseHook, leaseHookScript(p.spoolDir));
    await chmod(p.leaseHook, 0o700);
    for (const name of ['undionly.kpxe', 'ipxe.efi']) {
      const from = join(this.ipxeDir, name);
      if (existsSync(from) && !existsSync(join(p.tftpDir, name))) await copyFile(from, join(p.tftpDir, name));
    }
    await renderHostsFile(p);
    await this.spool.start();
    await ensureDaemon(fileServerDaemon(this.network, p));
    await ensureDaemon(dnsmasqDaemon(this.network, p));
  }

  /** Ends dnsmasq and the file server; every file stays. */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.spool.stop();
    await stopDaemon(dnsmasqDaemon(this.network, this.paths));
    await stopDaemon(fileServerDaemon(this.network, this.paths));
  }

  /**
   * Gives `mac` its address and its iPXE script, and lets it (and only it) fetch `export.of`
   * until `export.until`. The grant and the script go in first: a machine that gets the
   * reservation and asks at once must find them.
   */
  async assign(mac: string, entry: { address: string; script: string; export?: { of: BootExport; until: Date } }): Promise<void> {
    await this.start();
    if (entry.export) {
      const { of, until } = entry.export;
      await writeGrant(this.paths, of.applianceId, { token: of.token, mac, notAfter: until.getTime() });
    }
    await writeAtomic(this.paths.machineScript(mac), entry.script);
    if (await putReservation(this.paths, { mac, address: entry.address })) await this.reload();
  }

  /**
   * The appliance booted on `mac` has its root: its exports are removed (the file server removed
   * the one whose root tarball it served already) and the machine's script points at nothing,
   * so nothing of that boot can be fetched any more. The reservation stays: it is the machine's
   * address. Nothing changes when the entry belongs to another appliance by now.
   */
  async booted(mac: string, applianceId: string): Promise<void> {
    await this.removeExports(applianceId);
    if ((await this.entryOwner(mac)) === applianceId) await writeAtomic(this.paths.machineScript(mac), bootedScript(applianceId));
  }

  /** Removes the reservation and the script of `mac`; absent is fine. */
  async unassign(mac: string): Promise<void> {
    await rm(this.paths.machineScript(mac), { force: true });
    if (await deleteReservation(this.paths, mac)) await this.reload();
  }

  /** The appliance whose script `mac` boots right now, or null when it has no entry. */
  async entryOwner(mac: string): Promise<string | null> {
    const script = await readFile(this.paths.machineScript(mac), 'utf8').catch(() => null);
    return script === null ? null : scriptAppliance(script);
  }

  /** A fresh, empty export directory for a new boot of the appliance; earlier ones are removed. */
  async newExport(applianceId: string): Promise<BootExport> {
    await this.removeExports(applianceId);
    return this.exportAt(applianceId, randomBytes(12).toString('hex'));
  }

  /** Removes every export of the appliance: its grant first, so none is served from then on. */
  async removeExports(applianceId: string): Promise<void> {
    await rm(this.paths.grant(applianceId), { force: true });
    await rm(this.paths.applianceExports(applianceId), { recursive: true, force: true });
  }

  /** Appliance ids that have exports here (for the driver's list and leak checks). */
  async exportedAppliances(): Promise<string[]> {
    return readdir(this.paths.exportsDir).catch(() => [] as string[]);
  }

  /**
   * Whether `http://address:port/` answers on this network (any HTTP status counts), asked from
   * inside the network's namespace. curl because busybox's wget crashes on a timeout here.
   */
  async answersHttp(address: string, port = 80): Promise<boolean> {
    const [cmd, args] = inNetwork(this.network, 'curl', [
      '-s',
      '-o',
      '/dev/null',
      '--noproxy',
      '*',
      '-m',
      '2',
      `http://${address}:${port}/`,
    ]);
    const r = await execAllowFail(cmd, args, { timeoutMs: 5_000 }).catch(() => null);
    return r !== null && r.exitCode === 0;
  }

  /**
   * Whether an SSH server greets on `address:22`, asked from inside the network. curl speaks
   * HTTP/0.9 to it, which is enough to read the `SSH-` greeting a server sends first.
   */
  async answersSsh(address: string): Promise<boolean> {
    const url = `http://${address}:22/`;
    const [cmd, args] = inNetwork(this.network, 'curl', ['-s', '--http0.9', '--noproxy', '*', '-m', '2', url]);
    const r = await execAllowFail(cmd, args, { timeoutMs: 5_000 }).catch(() => null);
    return r !== null && r.stdout.startsWith('SSH-');
  }

  /**
   * Calls `listener` for every machine without a reservation that gets a lease here, once per
   * MAC and address while this service runs. Returns a function that removes the listener.
   */
  onDiscovered(listener: (m: DiscoveredMachine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async onLease(e: { mac: string; ip: string; hostname: string | null }): Promise<void> {
    const known = (await listReservations(this.paths)).some((r) => r.mac === e.mac);
    if (known || this.reported.get(e.mac) === e.ip) return;
    this.reported.set(e.mac, e.ip);
    const machine: DiscoveredMachine = { network: this.network.name, mac: e.mac, ip: e.ip, hostname: e.hostname };
    for (const l of this.listeners) l(machine);
  }

  /** dnsmasq rereads its hosts file on SIGHUP; not running yet is fine (it reads it at start). */
  private async reload(): Promise<void> {
    await renderHostsFile(this.paths);
    await signalDaemon(dnsmasqDaemon(this.network, this.paths), 'SIGHUP');
  }

  private async exportAt(applianceId: string, token: string): Promise<BootExport> {
    assertExportId(applianceId);
    if (!EXPORT_TOKEN.test(token)) throw new RangeError(`not an export token: ${token}`);
    const dir = join(this.paths.applianceExports(applianceId), token);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return { applianceId, token, dir, url: `${this.baseUrl}/exports/${applianceId}/${token}` };
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}
