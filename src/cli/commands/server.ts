import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { byteCount, configFromEnv, DEFAULTS } from '../../control-plane/config.ts';
import { PLACEMENT_POLICIES, type PlacementPolicy } from '../../domain/placement-constraints.ts';
import { addNatsSecurityOptions, natsSecurityFrom, type NatsSecurityFlags } from '../nats-flags.ts';
import { installProcessGuard } from '../process-guard.ts';

/**
 * `fleetyard server`: runs the control plane (API, reconcilers, the embedded agent) in this
 * process until SIGINT or SIGTERM, then stops it cleanly so SQLite is closed and no appliance
 * operation is cut off halfway. The control plane is imported only here, and lazily, so every
 * other command starts fast and loads nothing but the HTTP client.
 */
interface ServerFlags extends NatsSecurityFlags {
  dataDir?: string;
  listen?: string;
  databaseUrl?: string;
  natsUrl?: string;
  natsNamespace?: string;
  networkBridge?: string;
  networkCidr?: string;
  embeddedAgent?: boolean;
  bootNetworks?: string;
  importDir?: string[];
  maxImageBytes?: string;
  maxKernelBytes?: string;
  placementPolicy?: PlacementPolicy;
}

export function registerServerCommand(program: Command): void {
  const cmd = program
    .command('server')
    .description('run the Fleetyard control plane until interrupted')
    .addOption(new Option('--data-dir <dir>', `state directory (default ${DEFAULTS.dataDir})`).env('FLEETYARD_DATA_DIR'))
    .addOption(new Option('--listen <host:port>', `API address (default ${DEFAULTS.listen})`).env('FLEETYARD_LISTEN'))
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL URL (default: SQLite in the data dir)').env('FLEETYARD_DATABASE_URL'),
    )
    .addOption(new Option('--nats-url <url>', 'NATS URL (default: in-process bus)').env('FLEETYARD_NATS_URL'))
    .addOption(new Option('--nats-namespace <name>', 'namespace on a shared NATS server').env('FLEETYARD_NATS_NAMESPACE'))
    .addOption(new Option('--network-bridge <name>', `bridge of the default network (default ${DEFAULTS.networkBridge})`).env('FLEETYARD_NETWORK_BRIDGE'))
    .addOption(new Option('--network-cidr <cidr>', `address pool of the default network (default ${DEFAULTS.networkCidr})`).env('FLEETYARD_NETWORK_CIDR'))
    .addOption(new Option('--no-embedded-agent', 'do not run this machine\'s agent in-process (agents connect over NATS)'))
    .addOption(new Option('--boot-networks <file>', 'JSON file of the networks on which physical servers network-boot').env('FLEETYARD_BOOT_NETWORKS'))
    .addOption(
      new Option('--import-dir <dir...>', 'directory admins may import images and kernels from by server path; repeatable (default DATA_DIR/import; env FLEETYARD_IMPORT_DIRS, colon-separated)'),
    )
    .addOption(new Option('--max-image-bytes <n>', `largest image upload, received or unpacked (default ${DEFAULTS.maxImageBytes})`).env('FLEETYARD_MAX_IMAGE_BYTES'))
    .addOption(new Option('--max-kernel-bytes <n>', `largest vmlinuz or initrd upload (default ${DEFAULTS.maxKernelFileBytes})`).env('FLEETYARD_MAX_KERNEL_BYTES'))
    .addOption(
      new Option('--placement-policy <policy>', 'how the scheduler ranks the hosts that fit, unless a product or an appliance says (default spread)')
        .choices(PLACEMENT_POLICIES)
        .env('FLEETYARD_PLACEMENT_POLICY'),
    );
  addNatsSecurityOptions(cmd).action(async (flags: ServerFlags) => {
    installProcessGuard('fleetyard');
    const env = configFromEnv();
    const { startControlPlane } = await import('../../control-plane/control-plane.ts');
    const { readBootNetworks } = await import('../../boot/boot-network-file.ts');
    const cp = await startControlPlane({
      dataDir: flags.dataDir ?? env.dataDir,
      listen: flags.listen ?? env.listen,
      databaseUrl: flags.databaseUrl || env.databaseUrl,
      natsUrl: flags.natsUrl || env.natsUrl,
      natsNamespace: flags.natsNamespace || env.natsNamespace,
      natsSecurity: natsSecurityFrom(flags),
      networkBridge: flags.networkBridge ?? env.networkBridge,
      networkCidr: flags.networkCidr ?? env.networkCidr,
      tenantPool: env.tenantPool,
      embeddedAgent: flags.embeddedAgent === false ? false : env.embeddedAgent,
      bootNetworks: flags.bootNetworks ? readBootNetworks(flags.bootNetworks) : [],
      powerPollMs: env.powerPollMs,
      leaseMs: env.leaseMs,
      fencing: env.fencing,
      metricsToken: env.metricsToken,
      puppetToken: env.puppetToken,
      metricsListen: env.metricsListen,
      userRateLimit: env.userRateLimit,
      haAdmission: env.haAdmission,
      placementPolicy: flags.placementPolicy ?? env.placementPolicy,
      powerManagement: env.powerManagement,
      importDirs: flags.importDir?.length ? flags.importDir.map((d) => resolve(d)) : env.importDirs,
      maxImageBytes: byteCount('--max-image-bytes', flags.maxImageBytes) ?? env.maxImageBytes,
      maxKernelFileBytes: byteCount('--max-kernel-bytes', flags.maxKernelBytes) ?? env.maxKernelFileBytes,
      log: true,
    });
    process.stderr.write(`fleetyard: control plane listening on ${cp.url}\n`);
    const signal = await untilSignal();
    process.stderr.write(`fleetyard: ${signal} received, stopping (send it again to exit at once)\n`);
    const force = (): never => process.exit(1);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    await cp.stop();
    process.stderr.write('fleetyard: stopped\n');
  });
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
