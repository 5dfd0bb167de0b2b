import { Option, type Command } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULTS } from '../../control-plane/config.ts';
import { installProcessGuard } from '../process-guard.ts';
import { addNatsSecurityOptions, natsSecurityFrom, type NatsSecurityFlags } from '../nats-flags.ts';

interface AgentFlags extends NatsSecurityFlags {
  joinToken?: string;
  natsUrl?: string;
  natsNamespace?: string;
  dataDir?: string;
  storageDir?: string;
  machineId?: string;
  bootNetworks?: string;
  probeListen?: string;
  shutdownCommand?: string;
  underlayAddress?: string;
}

/**
 * `fleetyard agent`: this machine's agent as its own process, joined to a control plane over
 * NATS. The first start enrols it with a join token (`fleetyard host join-token create`); it keeps
 * its identity in DATA_DIR and needs no token afterwards. Runs until SIGINT or SIGTERM. The appliances it started keep running when it stops; a
 * restarted agent finds them again (every host object is named from the appliance id).
 */
export function registerAgentCommand(program: Command): void {
  const cmd = program
    .command('agent')
    .description('run this machine\'s agent against a control plane reached over NATS')
    .addOption(new Option('--nats-url <url>', 'NATS URL of the control plane').env('FLEETYARD_NATS_URL').makeOptionMandatory())
    .addOption(new Option('--nats-namespace <name>', 'namespace on a shared NATS server').env('FLEETYARD_NATS_NAMESPACE'))
    .addOption(new Option('--data-dir <dir>', `agent state directory (default ${DEFAULTS.dataDir})`).env('FLEETYARD_DATA_DIR'))
    .addOption(new Option('--storage-dir <dir>', 'the local storage as this machine sees it (default DATA_DIR/storage/local)').env('FLEETYARD_STORAGE_DIR'))
    .addOption(new Option('--machine-id <id>', 'identity of this machine (default /etc/machine-id)').env('FLEETYARD_MACHINE_ID'))
    .addOption(new Option('--boot-networks <file>', 'JSON file of the networks on which this machine network-boots servers').env('FLEETYARD_BOOT_NETWORKS'))
    .addOption(new Option('--join-token <token>', 'enrol this agent with a join token (first start only)').env('FLEETYARD_JOIN_TOKEN'))
    .addOption(new Option('--probe-listen <host:port>', 'where other hosts test that this one is reachable (a second signal when its heartbeats stop)').env('FLEETYARD_AGENT_PROBE_LISTEN'))
    .addOption(
      new Option('--shutdown-command <command>', "what powers this machine off when the power manager asks (a Wake-on-LAN host), e.g. 'systemctl poweroff'; split on spaces; without it the agent refuses").env(
        'FLEETYARD_AGENT_SHUTDOWN_COMMAND',
      ),
    )
    .addOption(new Option('--underlay-address <ipv4>', 'this host\'s address on the network between hosts, which carries the networks that span hosts (VXLAN); without it such networks are refused here').env('FLEETYARD_AGENT_UNDERLAY_ADDRESS'));
  addNatsSecurityOptions(cmd).action(async (flags: AgentFlags) => {
    installProcessGuard('fleetyard agent');
    const { runRemoteAgent } = await import('../../agent/run-agent.ts');
    const { readBootNetworks } = await import('../../boot/boot-network-file.ts');
    const { parseListen } = await import('../../control-plane/config.ts');
    const probe = flags.probeListen ? parseListen(flags.probeListen) : undefined;
    const dataDir = resolve(flags.dataDir ?? DEFAULTS.dataDir);
    const agent = await runRemoteAgent({
      natsUrl: flags.natsUrl as string,
      natsNamespace: flags.natsNamespace,
      natsSecurity: natsSecurityFrom(flags),
      joinToken: flags.joinToken || undefined,
      dataDir,
      storageDir: flags.storageDir ?? join(dataDir, 'storage', 'local'),
      machineId: flags.machineId,
      bootNetworks: flags.bootNetworks ? readBootNetworks(flags.bootNetworks) : [],
      probeListen: probe && { address: probe.host, port: probe.port },
      underlayAddress: flags.underlayAddress || undefined,
      shutdownCommand: flags.shutdownCommand ? flags.shutdownCommand.trim().split(/\s+/) : undefined,
      log: (msg, err) => process.stderr.write(`fleetyard agent: ${msg} ${err ? String(err) : ''}\n`),
    });
    process.stderr.write(`fleetyard agent: registered as host ${agent.hostId}\n`);
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await agent.stop();
    process.stderr.write('fleetyard agent: stopped\n');
  });
}
