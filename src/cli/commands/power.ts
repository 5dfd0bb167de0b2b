import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { printJson, printTable } from '../output.ts';

/**
 * `fleetyard power plan`: the power manager's plan from GET /power/plan, a row per host: its
 * power state, what the manager does next and why; then the host-hours saved.
 */
interface HostPlan {
  host: string;
  state: string;
  action: string;
  reason: string;
  bootMs: number | null;
  offHours: number;
  failures: number;
}
interface PowerPlan {
  enabled: boolean;
  hosts: HostPlan[];
  hostHoursOff: number;
}

export function registerPowerCommands(program: Command): void {
  const power = program.command('power').description('Green IT: which hosts the power manager keeps on, powers off and wakes');

  power
    .command('plan')
    .description("show every host's power state, what the power manager does next and why, and the host-hours saved")
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const plan = await client.get<PowerPlan>('/api/v1/power/plan');
      if (json) return printJson(plan);
      printTable(plan.hosts, [
        { header: 'HOST', value: (h) => h.host },
        { header: 'STATE', value: (h) => h.state },
        { header: 'NEXT', value: (h) => (h.action === 'none' ? '-' : h.action) },
        { header: 'BOOT', value: (h) => (h.bootMs === null ? null : `${(h.bootMs / 1000).toFixed(1)}s`) },
        { header: 'OFF (H)', value: (h) => h.offHours.toFixed(1) },
        { header: 'REASON', value: (h) => (h.failures > 0 ? `${h.reason} (${h.failures} BMC error${h.failures === 1 ? '' : 's'})` : h.reason) },
      ]);
      process.stdout.write(
        `${plan.enabled ? 'power management is on' : 'power management is off (FLEETYARD_POWER_MANAGEMENT=on to act on this plan)'}; ${plan.hostHoursOff.toFixed(1)} host-hours saved\n`,
      );
    });
}
