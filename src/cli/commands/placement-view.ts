import type { ApiClient } from '../api-client.ts';
import { printJson, printTable } from '../output.ts';

/** What GET /appliances/{id}/placement and /cloud/requests/{id}/placement answer (src/api/routes/placement.ts). */
export interface PlacementExplanation {
  policy: string;
  fits: boolean;
  reason: string | null;
  hostIds: string[];
  candidates: number;
  rejected: Record<string, number>;
  hosts: Array<{ hostId: string; host: string; rejectedBy: string | null; reason: string | null; score: number | null; virtualization: string | null }>;
  total: number;
}

/**
 * `fleetyard appliance explain` and `fleetyard request explain`: the decision in a line, then one
 * row per host (candidates best first, then the rejected, each with the filter and why).
 */
export async function printExplanation(client: ApiClient, json: boolean, path: string, limit: number | undefined): Promise<void> {
  const e = await client.get<PlacementExplanation>(path, { limit });
  if (json) return printJson(e);
  const names = new Map(e.hosts.map((h) => [h.hostId, h.host]));
  const decision = e.fits ? `fits: ${e.hostIds.map((id) => names.get(id) ?? id).join(', ')}` : `fits nowhere: ${e.reason}`;
  const rejected = Object.entries(e.rejected).map(([filter, n]) => `${n} by ${filter}`);
  process.stdout.write(`policy ${e.policy}; ${decision}\n${e.candidates} candidate host(s)${rejected.length > 0 ? `; rejected ${rejected.join(', ')}` : ''}\n\n`);
  printTable(e.hosts, [
    { header: 'HOST', value: (h) => h.host },
    { header: 'VERDICT', value: (h) => h.rejectedBy ?? 'candidate' },
    { header: 'SCORE', value: (h) => (h.score === null ? '' : String(h.score)) },
    { header: 'VIRT', value: (h) => h.virtualization ?? '' },
    { header: 'REASON', value: (h) => h.reason ?? '' },
  ]);
  if (e.total > e.hosts.length) process.stdout.write(`… ${e.total - e.hosts.length} more host(s); --limit ${Math.min(1000, e.total)} shows them\n`);
}
