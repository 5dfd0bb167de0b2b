import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { printJson, printTable } from '../output.ts';

/**
 * `fleetyard ha plan [--fail HOST…]`: the N+1 plan from GET /ha/plan. With `--fail`, where each
 * HA appliance of those hosts would restart if they failed together (what the failover then
 * does); without, every host alone, and whether the fleet tolerates any single failure. One row
 * per appliance; a scenario without appliances shows one row saying so.
 */
interface HostRef {
  id: string;
  name: string;
}
interface Scenario {
  failed: HostRef[];
  restarts: Array<{ applianceId: string; name: string; from: HostRef; fits: boolean; to: HostRef | null; reason: string | null }>;
  lost: Array<{ applianceId: string; name: string; from: HostRef }>;
  unplaced: number;
}
interface HaPlan {
  mode: 'given' | 'each-host';
  tolerates: boolean;
  haAppliances: number;
  scenarios: Scenario[];
}

interface Row {
  failed: string;
  appliance: string;
  outcome: string;
  detail: string | null;
}

function rowsOf(s: Scenario): Row[] {
  const failed = s.failed.map((h) => h.name).join(',');
  const rows: Row[] = [
    ...s.restarts.map((r) => ({ failed, appliance: r.name, outcome: r.fits ? `restarts on ${r.to?.name}` : 'CANNOT RESTART', detail: r.reason })),
    ...s.lost.map((l) => ({ failed, appliance: l.name, outcome: 'lost (not HA)', detail: null })),
  ];
  return rows.length > 0 ? rows : [{ failed, appliance: '-', outcome: 'nothing to restart', detail: null }];
}

export function registerHaCommands(program: Command): void {
  const ha = program.command('ha').description('high availability: where HA appliances restart when hosts fail');

  ha.command('plan')
    .description('show where every HA appliance would restart if hosts failed (N+1 planning)')
    .option('--fail <host...>', 'hosts (names or IDs) that fail together; without it, each host alone')
    .action(async (opts: { fail?: string[] }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const q = new URLSearchParams((opts.fail ?? []).map((h) => ['fail', h]));
      const plan = await client.get<HaPlan>(`/api/v1/ha/plan${q.size > 0 ? `?${q.toString()}` : ''}`);
      if (json) return printJson(plan);
      printTable(plan.scenarios.flatMap(rowsOf), [
        { header: 'IF FAILED', value: (r) => r.failed },
        { header: 'APPLIANCE', value: (r) => r.appliance },
        { header: 'OUTCOME', value: (r) => r.outcome },
        { header: 'REASON', value: (r) => r.detail },
      ]);
      const verdict =
        plan.mode === 'each-host'
          ? plan.tolerates
            ? `N+1 holds: every one of ${plan.haAppliances} HA appliances restarts elsewhere whichever host fails`
            : 'N+1 does NOT hold: some HA appliances could not restart if one host failed'
          : plan.tolerates
            ? 'every HA appliance of those hosts would restart elsewhere'
            : `${plan.scenarios[0]?.unplaced ?? 0} HA appliance(s) could not restart`;
      process.stdout.write(`${verdict}\n`);
    });
}
