import { Option, type Command } from 'commander';
import { type Appliance, reachableAddress } from '../../domain/appliance.ts';
import type { ApiClient } from '../api-client.ts';
import { CliError } from '../cli-error.ts';
import { EXIT } from '../exit-codes.ts';
import { splitCommand } from '../command-words.ts';
import { collectPairs, parseLabels } from '../label-pairs.ts';
import { addPagingOptions, printPagedList, type PagedListFlags } from '../paged-list.ts';
import { contextOf } from '../context.ts';
import { DEFAULT_WAIT_TIMEOUT_MS, integer, seconds } from '../option-parsers.ts';
import { age, printJson, printObject, printTable, type Column } from '../output.ts';
import { waitForAppliance, type WaitTarget } from '../wait.ts';
import { printExplanation } from './placement-view.ts';

/**
 * `fleetyard appliance …`: the unit users deploy. Requests only change the desired state and
 * return at once (the server answers 201/202); `--wait` then follows the appliance until the
 * reconciler has made it so, or it failed, or `--timeout` ran out.
 */

const COLUMNS: Column<Appliance>[] = [
  { header: 'ID', value: (a) => a.id },
  { header: 'NAME', value: (a) => a.name },
  { header: 'PHASE', value: (a) => a.status.phase },
  { header: 'DESIRED', value: (a) => a.spec.desiredState },
  { header: 'VIRT', value: (a) => a.status.virtualization ?? a.spec.requirements.virtualization },
  { header: 'ADDRESS', value: (a) => reachableAddress(a) },
  { header: 'CPU', value: (a) => a.spec.requirements.cpu },
  { header: 'MEMORY', value: (a) => `${a.spec.requirements.memoryMiB} MiB` },
  { header: 'AGE', value: (a) => age(a.createdAt) },
];

const VIRTUALIZATIONS = ['container', 'qemu', 'physical', 'sim', 'any'];

interface WaitFlags {
  wait?: boolean;
  timeout: number;
}

interface CreateFlags extends WaitFlags {
  image: string;
  cpu?: number;
  memory?: number;
  disk?: number;
  pids?: number;
  virtualization?: string;
  command?: string;
  hostname?: string;
  network?: string;
  moreNetwork?: string[];
  label?: string[];
  ha?: boolean;
  hostLabel?: string[];
  antiAffinity?: string;
  placementPolicy?: string;
  configGroup?: string[];
  start: boolean;
}

/** Commander's collector for a repeatable option: each value appended, in order. */
function collectValues(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerApplianceCommands(program: Command): void {
  const appliance = program.command('appliance').alias('app').description('manage appliances');

  withWait(
    appliance
      .command('create')
      .description('create an appliance (and start it, unless --no-start)')
      .argument('<name>', 'name of the new appliance')
      .requiredOption('--image <image>', 'image ID or name')
      .option('--cpu <n>', 'CPUs', integer(1, 256))
      .option('--memory <mib>', 'memory in MiB', integer(16, 1_048_576))
      .option('--disk <mib>', 'disk in MiB', integer(0, 16_777_216))
      .option('--pids <n>', 'process limit', integer(8, 1_000_000))
      .addOption(new Option('--virtualization <type>', 'where it may run').choices(VIRTUALIZATIONS))
      .option('--command <command>', "command to run instead of the image's, e.g. \"sleep 3600\"")
      .option('--hostname <hostname>', 'hostname inside the appliance')
      .option('--network <network>', 'network to attach to (eth0, its default route)')
      .option('--more-network <network>', 'a further network, one interface each after the first, in order (repeatable)', collectValues)
      .option('--label <key=value>', 'label (repeatable)', collectPairs)
      .option('--ha', 'highly available: restarted elsewhere when its host fails')
      .option('--host-label <key=value>', 'run only on hosts with this label (repeatable; see `fleetyard host label`)', collectPairs)
      .option('--anti-affinity <group>', 'never share a host with another of your appliances in this group')
      .addOption(new Option('--placement-policy <policy>', "how the hosts that fit are ranked (default: the installation's)").choices(['spread', 'pack', 'energy-aware']))
      .option('--config-group <name>', 'a configuration group applied after it boots, in order (repeatable; see `fleetyard config-group`)', (v: string, all: string[] | undefined) => [...(all ?? []), v])
      .option('--no-start', 'create it stopped'),
  ).action(async (name: string, opts: CreateFlags, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const imageId = await client.resolveId('images', opts.image);
    const requirements = {
      ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}),
      ...(opts.memory !== undefined ? { memoryMiB: opts.memory } : {}),
      ...(opts.disk !== undefined ? { diskMiB: opts.disk } : {}),
      ...(opts.pids !== undefined ? { pids: opts.pids } : {}),
      ...(opts.virtualization ? { virtualization: opts.virtualization } : {}),
    };
    const created = await client.post<Appliance>('/api/v1/appliances', {
      name,
      imageId,
      requirements,
      start: opts.start,
      ...(opts.command ? { command: splitCommand(opts.command) } : {}),
      ...(opts.hostname ? { hostname: opts.hostname } : {}),
      ...(opts.network ? { network: opts.network } : {}),
      ...(opts.moreNetwork ? { moreNetworks: opts.moreNetwork } : {}),
      ...(opts.label ? { labels: parseLabels(opts.label) } : {}),
      ...(opts.ha ? { ha: true } : {}),
      ...(opts.configGroup ? { configGroups: opts.configGroup } : {}),
      ...(opts.hostLabel || opts.antiAffinity || opts.placementPolicy
        ? {
            placement: {
              ...(opts.hostLabel ? { hostLabels: parseLabels(opts.hostLabel, '--host-label') } : {}),
              ...(opts.antiAffinity ? { antiAffinity: opts.antiAffinity } : {}),
              ...(opts.placementPolicy ? { policy: opts.placementPolicy } : {}),
            },
          }
        : {}),
    });
    await finish(client, json, created, opts, opts.start ? 'running' : 'stopped');
  });

  for (const [verb, target] of [
    ['start', 'running'],
    ['stop', 'stopped'],
  ] as const) {
    withWait(
      appliance.command(verb).description(`${verb} an appliance`).argument('<appliance>', 'ID or name'),
    ).action(async (idOrName: string, opts: WaitFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('appliances', idOrName);
      const changed = await client.post<Appliance>(`/api/v1/appliances/${id}/${verb}`, {});
      await finish(client, json, changed, opts, target);
    });
  }

  withWait(
    appliance
      .command('move')
      .description('move an appliance to another virtualization type, with its data, address and name')
      .argument('<appliance>', 'ID or name')
      .addOption(new Option('--to <virtualization>', 'target type').choices(['container', 'qemu', 'physical', 'sim']).makeOptionMandatory()),
  ).action(async (idOrName: string, opts: WaitFlags & { to: string }, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const id = await client.resolveId('appliances', idOrName);
    const asked = await client.post<Appliance>(`/api/v1/appliances/${id}/move`, { to: opts.to });
    const moveId = asked.spec.move?.id;
    let last = asked;
    if (opts.wait && moveId) {
      // Done when this move's outcome is recorded: moved, or rolled back (then exit as failed).
      const deadline = Date.now() + opts.timeout;
      for (;;) {
        last = await client.get<Appliance>(`/api/v1/appliances/${id}`);
        if (last.status.lastMove?.id === moveId) break;
        if (Date.now() > deadline) throw new CliError('CLI_TIMEOUT', `the move of ${idOrName} did not finish in time`, EXIT.OPERATION_FAILED);
        await new Promise((r) => setTimeout(r, 500));
      }
      if (last.status.lastMove?.outcome === 'rolled-back') {
        throw new CliError('CLI_OPERATION_FAILED', `the move to ${opts.to} was rolled back: ${last.status.lastMove.reason ?? ''}`, EXIT.OPERATION_FAILED);
      }
    }
    if (json) printJson(last);
    else process.stdout.write(`${opts.wait ? 'moved' : 'moving'} appliance ${idOrName} to ${opts.to}\n`);
  });

  withWait(
    appliance
      .command('rm')
      .alias('delete')
      .description('delete an appliance, releasing its resource, clone and address')
      .argument('<appliance>', 'ID or name'),
  ).action(async (idOrName: string, opts: WaitFlags, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const id = await client.resolveId('appliances', idOrName);
    await client.delete(`/api/v1/appliances/${id}`);
    if (opts.wait) await waitForAppliance(client, id, 'gone', { timeoutMs: opts.timeout, label: idOrName });
    const state = opts.wait ? 'deleted' : 'deleting';
    if (json) printJson({ id, state });
    else process.stdout.write(`${state} appliance ${idOrName}\n`);
  });

  addPagingOptions(
    appliance
      .command('list')
      .alias('ls')
      .description('list appliances')
      .option('--name <name>', 'only the appliance with this name')
      .option('--phase <phase>', 'only appliances in this phase')
      .option('--host <id>', 'only appliances on this host')
      .option('--image <image>', 'only appliances of this image (ID or name)'),
  ).action(async (opts: { name?: string; phase?: string; host?: string; image?: string } & PagedListFlags, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const imageId = opts.image ? await client.resolveId('images', opts.image) : undefined;
    await printPagedList<Appliance>(client, json, '/api/v1/appliances', { name: opts.name, phase: opts.phase, hostId: opts.host, imageId }, COLUMNS, opts, 'appliances');
  });

  appliance
    .command('show')
    .description('show one appliance')
    .argument('<appliance>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('appliances', idOrName);
      printObject(json, await client.get<Appliance>(`/api/v1/appliances/${id}`));
    });

  appliance
    .command('explain')
    .description('explain where the scheduler would place an appliance now, host by host (admin)')
    .argument('<appliance>', 'ID or name')
    .option('--limit <n>', 'at most N hosts (default 100)', integer(1, 1000))
    .action(async (idOrName: string, opts: { limit?: number }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('appliances', idOrName);
      await printExplanation(client, json, `/api/v1/appliances/${id}/placement`, opts.limit);
    });

  appliance
    .command('logs')
    .description("print an appliance's console output")
    .argument('<appliance>', 'ID or name')
    .option('--bytes <n>', 'only the last N bytes', integer(1, 1_048_576))
    .action(async (idOrName: string, opts: { bytes?: number }, cmd: Command) => {
      const { client } = contextOf(cmd);
      const id = await client.resolveId('appliances', idOrName);
      process.stdout.write(await client.text(`/api/v1/appliances/${id}/logs`, { bytes: opts.bytes }));
    });
}

function withWait(cmd: Command): Command {
  return cmd
    .option('--wait', 'wait until the change is done, showing progress on stderr')
    .addOption(
      new Option('--timeout <seconds>', 'give up waiting after this long (exit 6)')
        .argParser(seconds)
        .default(DEFAULT_WAIT_TIMEOUT_MS, String(DEFAULT_WAIT_TIMEOUT_MS / 1000)),
    );
}

/** Waits if asked to, then prints the appliance as it is now. */
async function finish(client: ApiClient, json: boolean, a: Appliance, opts: WaitFlags, target: WaitTarget): Promise<void> {
  let current = a;
  if (opts.wait) {
    await waitForAppliance(client, a.id, target, { timeoutMs: opts.timeout, label: a.name });
    current = await client.get<Appliance>(`/api/v1/appliances/${a.id}`);
  }
  if (json) printJson(current);
  else printTable([current], COLUMNS);
}
