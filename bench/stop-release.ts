import { nowMs } from './clock.ts';
import type { BenchFleet } from './fleet.ts';
import { APPLIANCE_TIMEOUT_MS, eventTime } from './request-to-running.ts';

export interface ReleaseSample {
  id: string;
  stopMs: number;
  deleteMs: number;
  stopPhases: Record<string, number>;
  deletePhases: Record<string, number>;
}

/**
 * Stop, then delete, one running appliance, each timed from the request to its event on the SSE
 * stream: `appliance.stopped` (runtime released: process, cgroups, netns, veth, mount, bundle)
 * and `appliance.deleted` (clone, address and slot released, row gone). Leaks are checked by the
 * caller over all appliances of a phase, off the clock.
 *
 * Phases (same method as request→running):
 *   api       request sent → `…-requested` committed
 *   dispatch  requested → driver entered (queue, status write `stopping`/`deleting`, agent request)
 *   driver    inside the driver (stop: TERM, wait, runc delete, cgroups, netns, umount; delete: the
 *             same checks again on an already released runtime)
 *   commit    driver returned → `stopped`/`deleted` committed (for delete: clone removal first)
 *   delivery  committed → SSE frame parsed
 */
export async function stopAndRelease(fleet: BenchFleet, id: string): Promise<ReleaseSample> {
  const t1 = nowMs();
  await fleet.api.stopAppliance(id);
  const stopped = await fleet.events.waitFor(id, 'appliance.stopped', APPLIANCE_TIMEOUT_MS);
  const t2 = nowMs();
  await fleet.api.deleteAppliance(id);
  const deleted = await fleet.events.waitFor(id, 'appliance.deleted', APPLIANCE_TIMEOUT_MS);
  return {
    id,
    stopMs: stopped.atMs - t1,
    deleteMs: deleted.atMs - t2,
    stopPhases: phases(t1, eventTime(fleet, id, 'appliance.stop-requested'), fleet.driver.stops.get(id), stopped),
    deletePhases: phases(t2, eventTime(fleet, id, 'appliance.delete-requested'), fleet.driver.destroys.get(id), deleted),
  };
}

function phases(
  sentMs: number,
  requestedMs: number | undefined,
  span: { startMs: number; endMs: number } | undefined,
  done: { atMs: number; event: { time: string } },
): Record<string, number> {
  if (requestedMs === undefined || !span) return {};
  const committed = Date.parse(done.event.time);
  return {
    api: requestedMs - sentMs,
    dispatch: span.startMs - requestedMs,
    driver: span.endMs - span.startMs,
    commit: committed - span.endMs,
    delivery: done.atMs - committed,
  };
}
