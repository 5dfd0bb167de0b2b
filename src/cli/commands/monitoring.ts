import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/**
 * `fleetyard monitoring export --nagios [--out FILE]`: the appliances and their health checks as
 * Nagios/Icinga object definitions (GET /api/v1/monitoring/nagios, admin), for a cfg_file of an
 * existing Nagios. Written to FILE, or to stdout.
 */
export function registerMonitoringCommands(program: Command): void {
  const monitoring = program.command('monitoring').description('monitoring of appliances from outside: Nagios object definitions');
  monitoring
    .command('export')
    .description('export the appliances (hosts) and their health checks (services) for an existing Nagios or Icinga (admin)')
    .option('--nagios', 'as Nagios object definitions (the one format so far)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { nagios?: boolean; out?: string }, cmd: Command) => {
      if (!opts.nagios) throw new CliError('CLI_USAGE', 'say which format: --nagios', EXIT.USAGE);
      const { client } = contextOf(cmd);
      const res = await client.open('GET', '/api/v1/monitoring/nagios', { headers: { accept: 'text/plain' } });
      const text = await res.text();
      if (opts.out) {
        writeFileSync(opts.out, text);
        process.stderr.write(`Nagios objects written to ${opts.out}\n`);
      } else process.stdout.write(text);
    });
}
