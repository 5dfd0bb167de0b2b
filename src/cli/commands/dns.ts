import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { printJson, printTable, type Column } from '../output.ts';

interface DnsRecordView {
  name: string;
  type: string;
  value: string;
  zone: string;
  network: string;
  applianceId: string;
}

const COLUMNS: Column<DnsRecordView>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'TYPE', value: (r) => r.type },
  { header: 'VALUE', value: (r) => r.value },
  { header: 'ZONE', value: (r) => r.zone },
  { header: 'NETWORK', value: (r) => r.network },
];

/**
 * `fleetyard dns show APPLIANCE`: the appliance's DNS records on each of its networks (its owner
 * or an admin); `fleetyard dns zone NETWORK`: every record of a network's zone (admin).
 */
export function registerDnsCommands(program: Command): void {
  const dns = program.command('dns').description("appliances' names in DNS: A, AAAA and PTR records");
  dns
    .command('show')
    .description("show an appliance's DNS records")
    .argument('<appliance>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('appliances', idOrName);
      const view = await client.get<{ records: DnsRecordView[] }>(`/api/v1/appliances/${id}/dns`);
      if (json) printJson(view);
      else printTable(view.records, COLUMNS);
    });
  dns
    .command('zone')
    .description("show every record of a network's DNS zone (admin)")
    .argument('<network>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await client.resolveId('networks', idOrName);
      const view = await client.get<{ zone: string | null; backend: string | null; records: DnsRecordView[] }>(`/api/v1/networks/${id}/dns`);
      if (json) printJson(view);
      else {
        process.stdout.write(view.zone ? `zone ${view.zone} (${view.backend})\n` : 'this network has no DNS zone\n');
        printTable(view.records, COLUMNS);
      }
    });
}
