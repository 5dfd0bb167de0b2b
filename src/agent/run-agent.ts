import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BootNetwork } from '../boot/boot-network.ts';
import { AGENT_INBOX_PREFIX, NatsBus } from '../bus/nats-bus.ts';
import type { NatsSecurity } from '../bus/nats-security.ts';
import { builtinDrivers } from '../drivers/catalog.ts';
import { LocalStorage } from '../storage/local-storage.ts';
import { Agent } from './agent.ts';
import { IdentityKey } from './identity-key.ts';
import { TransitKey } from './transit-key.ts';

export interface RemoteAgentOptions {
  natsUrl: string;
  natsNamespace?: string | undefined;
  /** TLS and credentials of the NATS connection. */
  natsSecurity?: NatsSecurity | undefined;
  /** Enrols this agent on its first start (`fleetyard host join-token create`); unused afterwards. */
  joinToken?: string | undefined;
  /** The agent's own state (runtime bundles, driver state). */
  dataDir: string;
  /**
   * The `local` storage as this machine sees it. Images are imported by the control plane, so
   * until a network storage exists this must be the same directory (e.g. a shared mount).
   */
  storageDir: string;
  machineId?: string | undefined;
  /** Networks on which this machine network-boots physical servers (none: no bare metal here). */
  bootNetworks?: BootNetwork[];
  /** Where other hosts' agents test that this host is reachable. */
  probeListen?: { address: string; port: number } | undefined;
  /** This host's address on the network between hosts, for networks that span hosts (VXLAN). */
  underlayAddress?: string | undefined;
  /** What powers this machine off when the power manager asks (Wake-on-LAN hosts); none: refused. */
  shutdownCommand?: readonly string[] | undefined;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * The agent as its own process, on any machine that reaches the control plane's NATS server:
 * `fleetyard agent`. It enrols, registers, heartbeats and serves driver commands exactly as the
 * embedded agent does; only the bus differs. Its NATS connection carries commands and notices
 * only (no JetStream), with replies on the agents' own inbox prefix, so the NATS user of agents
 * needs no more than docs/nats-server.conf gives it.
 */
export async function runRemoteAgent(opts: RemoteAgentOptions): Promise<{ hostId: string; stop(): Promise<void> }> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const bus = await NatsBus.connect(opts.natsUrl, {
    namespace: opts.natsNamespace,
    security: opts.natsSecurity,
    events: false,
    inboxPrefix: AGENT_INBOX_PREFIX,
    name: 'fleetyard-agent',
  });
  const transitKey = TransitKey.forDataDir(dataDir);
  const agent = new Agent({
    bus,
    transitKey,
    identity: IdentityKey.forDataDir(dataDir),
    joinToken: opts.joinToken,
    drivers: builtinDrivers({
      stateDir: join(dataDir, 'run'),
      physical: { networks: opts.bootNetworks ?? [], unseal: (sealed) => transitKey.open(sealed) },
    }),
    storage: new LocalStorage(resolve(opts.storageDir)),
    dataDir,
    machineId: opts.machineId,
    ...(opts.probeListen ? { probeListen: opts.probeListen } : {}),
    ...(opts.underlayAddress ? { underlayAddress: opts.underlayAddress } : {}),
    shutdownCommand: opts.shutdownCommand,
    log: opts.log,
  });
  try {
    const hostId = await agent.start();
    return {
      hostId,
      async stop() {
        await agent.stop();
        await bus.close();
      },
    };
  } catch (e) {
    await bus.close();
    throw e;
  }
}
