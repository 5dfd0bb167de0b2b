/**
 * What happens to an HA appliance whose health check turns hard CRITICAL: first a restart in
 * place (stop and start on the same host), and if it turns hard CRITICAL again within the
 * window, a restart elsewhere (placed avoiding its host); past the limits it stays as it is and
 * an event says so (Proxmox's max_restart 1, max_relocate 1, per hour here). Pure.
 */
export interface RestartLimits {
  windowMs: number;
  maxInPlace: number;
  maxRelocations: number;
}

export const DEFAULT_RESTART_LIMITS: RestartLimits = { windowMs: 60 * 60 * 1000, maxInPlace: 1, maxRelocations: 1 };

export type RestartDecision = { action: 'in-place' } | { action: 'elsewhere' } | { action: 'none'; reason: string };

export function decideRestart(recent: ReadonlyArray<{ at: string; elsewhere: boolean }>, now: Date, limits: RestartLimits = DEFAULT_RESTART_LIMITS): RestartDecision {
  const since = now.getTime() - limits.windowMs;
  const inWindow = recent.filter((r) => Date.parse(r.at) > since);
  const inPlace = inWindow.filter((r) => !r.elsewhere).length;
  const relocations = inWindow.length - inPlace;
  if (inPlace < limits.maxInPlace && relocations === 0) return { action: 'in-place' };
  if (relocations < limits.maxRelocations) return { action: 'elsewhere' };
  const minutes = Math.round(limits.windowMs / 60_000);
  return { action: 'none', reason: `restarted ${inPlace} time(s) in place and ${relocations} time(s) elsewhere in the last ${minutes} min: the limit is reached, it stays as it is` };
}
