import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { daemonPid, ensureDaemon, stopDaemon, type DaemonSpec } from '../boot/daemon.ts';
import { KeyedMutex } from '../drivers/container/keyed-mutex.ts';
import { linkExists } from '../network/bridge.ts';
import { authDnsmasqDaemon, hostsFile, zonePaths, type EmbeddedZone } from './dnsmasq-auth.ts';

export interface ZoneServing {
  /** The host has the network's bridge, and its dnsmasq answers on the gateway. */
  serving: boolean;
}

/**
 * The agent's side of the embedded DNS backend: for each network it was told about, the whole
 * record set in a hosts directory (written to a temporary file and renamed into place, so
 * dnsmasq never reads half a file), and a dnsmasq answering on the gateway while this host has
 * the network's bridge. A host without the bridge keeps the records and starts the server once
 * the bridge is there (the next record change or registration after an appliance came).
 */
export class EmbeddedDnsServer {
  private readonly daemons = new Map<string, DaemonSpec>();
  /** One change per network at a time: twenty appliances starting at once send twenty. */
  private readonly perNetwork = new KeyedMutex();

  constructor(
    private readonly stateDir: string,
    private readonly port = 53,
    private readonly log: (msg: string, err?: unknown) => void = () => undefined,
  ) {}

  apply(z: EmbeddedZone): Promise<ZoneServing> {
    return this.perNetwork.run(z.network, () => this.applyNow(z));
  }

  private async applyNow(z: EmbeddedZone): Promise<ZoneServing> {
    const paths = zonePaths(this.stateDir, z.network);
    await mkdir(paths.hostsDir, { recursive: true, mode: 0o700 });
    const file = join(paths.hostsDir, 'appliances');
    const content = hostsFile(z);
    if ((await readFile(file, 'utf8').catch(() => null)) !== content) {
      await writeFile(`${paths.dir}/appliances.tmp`, content);
      await rename(`${paths.dir}/appliances.tmp`, file);
    }
    const spec = authDnsmasqDaemon(z, paths, this.port);
    if (!linkExists(z.bridge)) {
      await this.stop(z.network, spec);
      return { serving: false };
    }
    // One whose command line differs (another zone, gateway or prefix) gives way to a new one.
    const running = await daemonPid(spec);
    if (running !== null && (await cmdline(running)) !== spec.args.slice(2).join(' ')) await stopDaemon(spec);
    await ensureDaemon(spec);
    this.daemons.set(z.network, spec);
    return { serving: true };
  }

  private async stop(network: string, spec: DaemonSpec): Promise<void> {
    this.daemons.delete(network);
    await stopDaemon(spec);
  }

  /** Stops every server this host runs (the agent stops), including ones a previous run started. */
  async stopAll(): Promise<void> {
    const networks = await readdir(this.stateDir).catch(() => [] as string[]);
    for (const network of networks) {
      const paths = zonePaths(this.stateDir, network);
      const spec = this.daemons.get(network) ?? authDnsmasqDaemon({ network, bridge: '', gateway: '', zone: '', cidrs: [], records: [] }, paths, this.port);
      await this.perNetwork
        .run(network, () => stopDaemon(spec))
        .catch((e: unknown) => this.log(`stopping the DNS server of network ${network} failed`, e));
    }
    this.daemons.clear();
  }
}

async function cmdline(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((s) => s !== '').join(' ');
  } catch {
    return null;
  }
}
