import { InvalidArgumentError, Option, type Command } from 'commander';
import type { NetworkView } from '../../domain/network.ts';
import type { ApiClient } from '../api-client.ts';
import { usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { printJson, printList, printObject, printTable, type Column } from '../output.ts';
import { readStdinSecret } from './cloud-flags.ts';

/**
 * `fleetyard network list | show | create | set | rm | addresses` (admin; docs/networks.md): the
 * networks appliances attach to. A TSIG key's secret for an RFC 2136 DNS backend is read from
 * stdin, never from an argument (which `ps` would show).
 */

interface AddressUse {
  /** Null on an IPv6-only network. */
  ipv4: { size: string; used: number; free: string } | null;
  ipv6: { size: string; used: number; free: string } | null;
  items: Array<{ address: string; family: 'ipv4' | 'ipv6'; applianceId: string; applianceName: string | null }>;
}

const COLUMNS: Column<NetworkView & { use?: AddressUse }>[] = [
  { header: 'NAME', value: (n) => n.name },
  { header: 'BRIDGE', value: (n) => n.spec.bridge },
  { header: 'CIDR', value: (n) => n.spec.cidr },
  { header: 'GATEWAY', value: (n) => n.spec.gateway },
  { header: 'IPV6', value: (n) => n.spec.ipv6?.cidr },
  { header: 'MTU', value: (n) => n.spec.mtu },
  { header: 'VNI', value: (n) => n.spec.vxlan?.vni },
  { header: 'DNS', value: (n) => (n.spec.dns ? `${n.spec.dns.zone} (${n.spec.dns.backend})` : null) },
  { header: 'USED', value: (n) => (n.use ? [n.use.ipv4, n.use.ipv6].flatMap((p) => (p ? [`${p.used}/${p.size}`] : [])).join(' ') : null) },
  { header: 'FROM', value: (n) => n.spec.origin ?? 'admin' },
];

interface Flags {
  bridge?: string;
  cidr?: string;
  gateway?: string;
  exclude?: Array<{ first: string; last: string }>;
  /** `--no-ipv6` (false), `--ipv6 CIDR`; commander makes it true when neither is given. */
  ipv6?: string | boolean;
  ipv6Gateway?: string;
  ipv6Exclude?: Array<{ first: string; last: string }>;
  dns?: false;
  dnsZone?: string;
  dnsServer?: string;
  dnsPort?: number;
  dnsKeyName?: string;
  dnsKeyAlgorithm?: string;
  dnsKeySecretStdin?: boolean;
  mtu?: number;
  spansHosts?: boolean;
}

function range(v: string, all: Array<{ first: string; last: string }> | undefined): Array<{ first: string; last: string }> {
  const [first, last, extra] = v.split(/-(?=[^-]*$)|,/);
  if (!first || extra !== undefined) throw new InvalidArgumentError('expected FIRST-LAST (or FIRST,LAST for IPv6), e.g. 169.254.80.10-169.254.80.19');
  return [...(all ?? []), { first, last: last ?? first }];
}

function integer(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a whole number');
  return Number(v);
}

function withNetworkFlags(c: Command, changing: boolean): Command {
  return c
    .option('--gateway <address>', "the host bridge's IPv4 address (default: the first host address)")
    .option('--exclude <first-last>', 'an IPv4 range IPAM never hands out (repeatable; replaces the ones set before)', range)
    .option('--ipv6 <cidr>', 'an IPv6 pool, a unique local prefix of length 64..120, e.g. fd00:80::/64')
    .option('--ipv6-gateway <address>', "the host bridge's IPv6 address (default: the first one)")
    .option('--ipv6-exclude <first,last>', 'an IPv6 range IPAM never hands out (repeatable)', range)
    .option('--dns-zone <zone>', 'the DNS zone appliance names are published in')
    .option('--dns-server <host>', 'publish by RFC 2136 updates to this server (default: the embedded DNS server)')
    .option('--dns-port <port>', 'the RFC 2136 server port (default 53)', integer)
    .option('--dns-key-name <name>', 'the TSIG key name for RFC 2136 updates')
    .addOption(new Option('--dns-key-algorithm <algorithm>', 'the TSIG algorithm').choices(['hmac-sha256', 'hmac-sha512']))
    .option('--dns-key-secret-stdin', changing ? 'read a new TSIG secret (base64) from stdin (default: keep the one stored)' : 'read the TSIG secret (base64) from stdin')
    .option('--mtu <bytes>', 'the MTU, 1280..9000 (default 1500, 1450 when it spans hosts)', integer)
    .option('--spans-hosts', 'carry the network between hosts (VXLAN)');
}

async function body(f: Flags, current: NetworkView | null): Promise<Record<string, unknown>> {
  const b: Record<string, unknown> = {};
  if (f.bridge !== undefined) b.bridge = f.bridge;
  if (f.cidr !== undefined) b.cidr = f.cidr;
  if (f.gateway !== undefined) b.gateway = f.gateway;
  if (f.exclude !== undefined) b.excluded = f.exclude;
  const ipv6 = typeof f.ipv6 === 'string' ? f.ipv6 : undefined;
  if (f.ipv6 === false) b.ipv6 = null;
  else if (ipv6 !== undefined || f.ipv6Gateway !== undefined || f.ipv6Exclude !== undefined) {
    const cidr = ipv6 ?? current?.spec.ipv6?.cidr;
    if (!cidr) throw usageError('--ipv6-gateway and --ipv6-exclude need --ipv6 CIDR');
    b.ipv6 = { cidr, ...(f.ipv6Gateway ? { gateway: f.ipv6Gateway } : {}), ...(f.ipv6Exclude ? { excluded: f.ipv6Exclude } : {}) };
  }
  if (f.dns === false) b.dns = null;
  else if (f.dnsZone !== undefined || f.dnsServer !== undefined) {
    const zone = f.dnsZone ?? current?.spec.dns?.zone;
    if (!zone) throw usageError('--dns-server needs --dns-zone');
    if (f.dnsServer === undefined) b.dns = { backend: 'embedded', zone };
    else {
      if (!f.dnsKeyName || !f.dnsKeyAlgorithm) throw usageError('an RFC 2136 backend needs --dns-key-name and --dns-key-algorithm');
      b.dns = {
        backend: 'rfc2136',
        zone,
        server: f.dnsServer,
        ...(f.dnsPort !== undefined ? { port: f.dnsPort } : {}),
        keyName: f.dnsKeyName,
        keyAlgorithm: f.dnsKeyAlgorithm,
        ...(f.dnsKeySecretStdin ? { keySecret: await readStdinSecret('TSIG key secret (base64)') } : {}),
      };
    }
  }
  if (f.mtu !== undefined) b.mtu = f.mtu;
  if (f.spansHosts !== undefined) b.spansHosts = f.spansHosts;
  return b;
}

const addressUse = (client: ApiClient, id: string) => client.get<AddressUse>(`/api/v1/networks/${id}/addresses`);

export function registerNetworkCommands(program: Command): void {
  const network = program.command('network').description('manage networks: bridges with IPv4 and IPv6 pools, DNS zones, MTU, spanning hosts (admin)');

  network
    .command('list')
    .alias('ls')
    .description('list networks with their address use (IPv4 used/size, then IPv6; IPv6 alone on an IPv6-only network)')
    .option('--name <name>', 'only the network with this name')
    .action(async (opts: { name?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const items = await client.list<NetworkView>('/api/v1/networks', { name: opts.name });
      if (json) return printJson(items);
      const rows = await Promise.all(items.map(async (n) => ({ ...n, use: await addressUse(client, n.id) })));
      printList(false, rows, COLUMNS);
    });

  network
    .command('show')
    .description('show one network')
    .argument('<network>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('networks', idOrName);
      printObject(json, await client.get<NetworkView>(`/api/v1/networks/${id}`));
    });

  withNetworkFlags(
    network
      .command('create')
      .description('make a network')
      .argument('<name>', 'name of the new network (appliances name it in --network)')
      .requiredOption('--bridge <name>', 'the Linux bridge on each host, at most 15 characters')
      .option('--cidr <cidr>', 'the IPv4 pool, prefix length 8..30, e.g. 169.254.80.0/24 (leave it out, with --ipv6, for an IPv6-only network)'),
    false,
  ).action(async (name: string, f: Flags, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    const n = await client.post<NetworkView>('/api/v1/networks', { name, ...(await body(f, null)) });
    if (json) printJson(n);
    else process.stdout.write(`network ${n.name} ${[n.spec.cidr, n.spec.ipv6?.cidr].filter((c) => c).join(' ')} on ${n.spec.bridge}${n.spec.vxlan ? ` (VNI ${n.spec.vxlan.vni})` : ''}\n`);
  });

  withNetworkFlags(
    network
      .command('set')
      .description('change a network (its bridge and pools only while no appliance holds an address)')
      .argument('<network>', 'ID or name')
      .option('--bridge <name>', 'the Linux bridge on each host')
      .option('--cidr <cidr>', 'the IPv4 pool')
      .option('--no-ipv6', 'remove the IPv6 pool')
      .option('--no-dns', 'publish no DNS names')
      .option('--local', 'keep the network on each host (no VXLAN)'),
    true,
  ).action(async (idOrName: string, f: Flags & { local?: boolean }, cmd: Command) => {
    const { client, json } = contextOf(cmd);
    if (f.local && f.spansHosts) throw usageError('--local and --spans-hosts contradict each other');
    const id = await client.resolveId('networks', idOrName);
    const current = await client.get<NetworkView>(`/api/v1/networks/${id}`);
    const changes = await body({ ...f, ...(f.local ? { spansHosts: false } : {}) }, current);
    if (Object.keys(changes).length === 0) throw usageError('nothing to change: give at least one option');
    const n = await client.json<NetworkView>('PATCH', `/api/v1/networks/${id}`, { body: { version: current.version, ...changes } });
    if (json) printJson(n);
    else process.stdout.write(`network ${n.name} changed\n`);
  });

  network
    .command('rm')
    .alias('delete')
    .description('delete a network (refused, with the reason, while anything uses it)')
    .argument('<network>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('networks', idOrName);
      await client.delete(`/api/v1/networks/${id}`);
      if (json) printJson({ id, state: 'deleted' });
      else process.stdout.write(`deleted network ${idOrName}\n`);
    });

  network
    .command('addresses')
    .description("every address held on a network, with its appliance, and each pool's size, used and free")
    .argument('<network>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('networks', idOrName);
      const use = await addressUse(client, id);
      if (json) return printJson(use);
      const pools = [...(use.ipv4 ? [{ family: 'ipv4', ...use.ipv4 }] : []), ...(use.ipv6 ? [{ family: 'ipv6', ...use.ipv6 }] : [])];
      printTable(pools, [
        { header: 'POOL', value: (p) => p.family },
        { header: 'SIZE', value: (p) => p.size },
        { header: 'USED', value: (p) => p.used },
        { header: 'FREE', value: (p) => p.free },
      ]);
      process.stdout.write('\n');
      printTable(use.items, [
        { header: 'ADDRESS', value: (a) => a.address },
        { header: 'FAMILY', value: (a) => a.family },
        { header: 'APPLIANCE', value: (a) => a.applianceName },
        { header: 'APPLIANCE ID', value: (a) => a.applianceId },
      ]);
    });
}
