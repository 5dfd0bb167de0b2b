import { FleetyardError } from '../domain/errors.ts';
import type { Priced } from '../domain/pricing.ts';
import type { Repos } from '../store/store.ts';
import { BillingRepo, type Meter } from './billing-repo.ts';

/**
 * Meters are opened and closed by the cloud-request lifecycle, inside the same transaction as the
 * state change that starts or ends the cost (an appliance starting to run, a request ending), so a
 * request is never running without its meter nor metered after it ended. A meter keeps the price it
 * was opened with: changing the price list does not re-price what is already running.
 */
export interface OpenMeterInput {
  /** A fresh id from the store's IdSource (`store.ids.next()`); unused when the meter exists already. */
  id: string;
  userId: string;
  requestId: string;
  applianceId: string | null;
  priced: Priced;
  startedAt: Date;
}

/**
 * Opens the meter of (request, appliance), or returns the one already open: a retried lifecycle
 * transaction cannot start a second meter for the same thing (a unique index backs this up).
 */
export async function openMeter(tx: Repos, input: OpenMeterInput): Promise<Meter> {
  const { priced } = input;
  const sum = priced.components.reduce((s, c) => s + c.ccuPerHourMilli, 0);
  if (!Number.isSafeInteger(priced.ccuPerHourMilli) || priced.ccuPerHourMilli < 0 || sum !== priced.ccuPerHourMilli) {
    throw new FleetyardError('FY_VALIDATION', 'a meter price must be a non-negative integer equal to the sum of its components');
  }
  const repo = new BillingRepo(tx.db);
  const open = await repo.openMeterFor(input.requestId, input.applianceId);
  if (open) return open;
  const startedAt = input.startedAt.toISOString();
  const meter: Meter = {
    id: input.id,
    userId: input.userId,
    requestId: input.requestId,
    applianceId: input.applianceId,
    ccuPerHourMilli: priced.ccuPerHourMilli,
    components: priced.components,
    startedAt,
    stoppedAt: null,
    postedUntil: startedAt,
  };
  await repo.insertMeter(meter);
  return meter;
}

/**
 * Stops a meter at `stoppedAt`. Idempotent: a meter already stopped keeps its first stop. The stop
 * is never put before the start or before what has already been posted (a clock that went back
 * cannot un-charge posted time). The last partial window is posted by the next posting run.
 */
export async function closeMeter(tx: Repos, meterId: string, stoppedAt: Date): Promise<Meter> {
  const repo = new BillingRepo(tx.db);
  const meter = await repo.meter(meterId);
  if (!meter) throw new FleetyardError('FY_NOT_FOUND', `meter ${meterId} does not exist`, { kind: 'meter', id: meterId });
  if (meter.stoppedAt !== null) return meter;
  const floor = Math.max(Date.parse(meter.startedAt), Date.parse(meter.postedUntil));
  const at = new Date(Math.max(stoppedAt.getTime(), floor)).toISOString();
  await repo.stopMeter(meterId, at);
  return { ...meter, stoppedAt: at };
}

/** Stops every open meter of a request (the request ended, was stopped or was de-provisioned). */
export async function closeMetersOfRequest(tx: Repos, requestId: string, stoppedAt: Date): Promise<Meter[]> {
  const repo = new BillingRepo(tx.db);
  const closed: Meter[] = [];
  for (const m of await repo.metersOfRequest(requestId)) {
    if (m.stoppedAt === null) closed.push(await closeMeter(tx, m.id, stoppedAt));
  }
  return closed;
}
