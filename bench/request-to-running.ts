import { nowMs } from './clock.ts';
import type { BenchFleet } from './fleet.ts';

/** Per-appliance wait for its `appliance.running` event. */
export const APPLIANCE_TIMEOUT_MS = 30_000;

/** Where one request→running latency went, in ms; the phases add up to the total. */
export interface RunningSample {
  id: string;
  totalMs: number;
  /** Epoch ms at which the client parsed `appliance.running`. */
  runningAtMs: number;
  phases: Record<string, number>;
}

/**
 * POST /api/v1/appliances, then wait for its `appliance.running` on the shared SSE stream. The
 * clock starts before the request is sent and stops when the event is parsed by the client.
 *
 * Phases, from the store's event times and the timed driver's spans:
 *   api        request sent → `appliance.created` committed (HTTP, validation, insert)
 *   placement  created → `appliance.placed` (outbox relay, bus, work queue, placement txn)
 *   dispatch   placed → driver.ensure entered (image/network reads, agent request, clone dirs)
 *   driver     inside the container driver (netns, overlay, config, runc run)
 *   status     driver returned → `appliance.running` committed (agent reply, status write)
 *   delivery   running committed → SSE frame parsed (relay, bus, event hub, SSE pump, wire)
 */
export async function requestToRunning(fleet: BenchFleet, name: string, imageId: string): Promise<RunningSample> {
  const t0 = nowMs();
  const { id } = await fleet.api.createAppliance(name, imageId);
  fleet.applianceIds.add(id);
  const running = await fleet.events.waitFor(id, 'appliance.running', APPLIANCE_TIMEOUT_MS);
  const created = eventTime(fleet, id, 'appliance.created');
  const placed = eventTime(fleet, id, 'appliance.placed');
  const span = fleet.driver.starts.get(id);
  const runningAt = Date.parse(running.event.time);
  const phases: Record<string, number> = {};
  if (created !== undefined && placed !== undefined && span) {
    phases.api = created - t0;
    phases.placement = placed - created;
    phases.dispatch = span.startMs - placed;
    phases.driver = span.endMs - span.startMs;
    phases.status = runningAt - span.endMs;
    phases.delivery = running.atMs - runningAt;
  }
  return { id, totalMs: running.atMs - t0, runningAtMs: running.atMs, phases };
}

/** When the store committed an event of the appliance (epoch ms), if the stream delivered it. */
export function eventTime(fleet: BenchFleet, id: string, type: string): number | undefined {
  const a = fleet.events.seen(id, type);
  return a ? Date.parse(a.event.time) : undefined;
}
