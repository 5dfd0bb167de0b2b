import type { Command } from 'commander';
import type { Resource } from '../../domain/resource.ts';
import { contextOf } from '../context.ts';
import { integer } from '../option-parsers.ts';
import { age, printDetails, printJson, printList, type Column } from '../output.ts';
import { formatLabels, RESERVED_LABEL_PREFIX } from '../../domain/placement-constraints.ts';
import { usageError } from '../cli-error.ts';
import { parseLabels } from '../label-pairs.ts';
import { readStdinSecret } from './cloud-flags.ts';

/**
 * `fleetyard host leases | bmc | fence-confirm | label`: the hosts' leases and fencing
 * (docs/high-availability.md), and the labels appliances' placement constraints select hosts by. `fence-confirm` is an admin's word that a failed host is off, for
 * a host whose BMC cannot confirm it; it is refused for a host that holds its lease.
 */
const LEASE_COLUMNS: Column<Resource>[] = [
  { header: 'NAME', value: (h) => h.name },
  { header: 'LEASE', value: (h) => h.status.lease?.state ?? 'live' },
  { header: 'EPOCH', value: (h) => String(h.status.lease?.epoch ?? 0) },
  { header: 'HEARTBEAT', value: (h) => (h.status.lastHeartbeatAt ? age(h.status.lastHeartbeatAt) : null) },
  { header: 'BMC', value: (h) => (h.spec.bmc ? `${h.spec.bmc.address}:${h.spec.bmc.port}` : null) },
  { header: 'WAITING FOR', value: (h) => h.status.lease?.waitingFor ?? null },
];

export function registerHostFencingCommands(host: Command): void {
  host
    .command('leases')
    .description("every host's lease and fencing state")
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      printList(json, await client.list<Resource>('/api/v1/resources', { role: 'host' }), LEASE_COLUMNS);
    });

  host
    .command('bmc')
    .description('set the BMC a host is fenced through (the password is read from stdin)')
    .argument('<host>', 'host ID or name')
    .requiredOption('--address <address>', 'BMC address')
    .option('--port <port>', 'IPMI port (default 623)', (v) => Number(v))
    .requiredOption('--user <user>', 'BMC user')
    .requiredOption('--password-stdin', 'read the BMC password from stdin')
    .action(async (name: string, opts: { address: string; port?: number; user: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('resources', name);
      const password = await readStdinSecret('BMC password');
      const written = await client.json<Resource>('PUT', `/api/v1/hosts/${id}/bmc`, { body: { address: opts.address, ...(opts.port ? { port: opts.port } : {}), user: opts.user, password } });
      if (json) printJson(written);
      else process.stdout.write(`host ${written.name} is fenced through ${opts.address}:${written.spec.bmc?.port ?? 623}\n`);
    });

  host
    .command('wake-on-lan')
    .description('power a host without a BMC by Wake-on-LAN: the power manager wakes it with a magic packet and has its agent shut it down')
    .argument('<host>', 'host ID or name')
    .requiredOption('--mac <mac>', 'MAC of the network card armed for Wake-on-LAN')
    .requiredOption('--address <ipv4>', "where the magic packet goes: the broadcast address of the host's network")
    .option('--port <port>', 'UDP port (default 9)', integer(1, 65535))
    .action(async (name: string, opts: { mac: string; address: string; port?: number }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('resources', name);
      const written = await client.json<Resource>('PUT', `/api/v1/hosts/${id}/wake-on-lan`, { body: { mac: opts.mac, address: opts.address, ...(opts.port ? { port: opts.port } : {}) } });
      if (json) printJson(written);
      else process.stdout.write(`host ${written.name} is woken by a magic packet for ${written.spec.wakeOnLan?.mac} to ${opts.address}:${written.spec.wakeOnLan?.port ?? 9}\n`);
    });

  host
    .command('fence-confirm')
    .description('confirm by hand that a failed host is off: it counts as fenced and its HA appliances restart elsewhere')
    .argument('<host>', 'host ID or name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('resources', name);
      const h = await client.post<Resource>(`/api/v1/hosts/${id}/fence-confirm`, {});
      if (json) printJson(h);
      else printDetails({ host: h.name, lease: h.status.lease?.state ?? 'live', epoch: String(h.status.lease?.epoch ?? 0), fencedBy: h.status.lease?.fencedBy ?? null });
    });

  host
    .command('label')
    .description("add (key=value) or remove (key-) a host's labels, which appliances' --host-label selects; with no change, show them")
    .argument('<host>', 'host ID or name')
    .argument('[changes...]', 'key=value to set, key- to remove')
    .action(async (name: string, changes: string[], _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('resources', name);
      let h = await client.get<Resource>(`/api/v1/resources/${id}`);
      if (changes.length > 0) {
        const removing = (c: string) => !c.includes('=') && c.endsWith('-');
        const removed = changes.filter(removing).map((c) => c.slice(0, -1));
        if (removed.includes('')) throw usageError('"-" names no label: write key- to remove one');
        const set = parseLabels(changes.filter((c) => !removing(c)), 'label');
        const mine = Object.fromEntries(Object.entries(h.spec.labels).filter(([k]) => !k.startsWith(RESERVED_LABEL_PREFIX) && !removed.includes(k)));
        h = await client.json<Resource>('PUT', `/api/v1/hosts/${id}/labels`, { body: { labels: { ...mine, ...set } } });
      }
      if (json) printJson(h.spec.labels);
      else process.stdout.write(`${h.name}: ${formatLabels(h.spec.labels) || '(no labels)'}\n`);
    });
}
