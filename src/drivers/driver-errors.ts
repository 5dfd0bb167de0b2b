import { FleetyardError } from '../domain/errors.ts';

/**
 * What a driver's failure looks like to everyone above it: FY_DRIVER_FAILED naming the driver,
 * the operation and the appliance (a FleetyardError a driver threw on purpose passes unchanged).
 */
export function driverFailure(driver: string, applianceId: string, op: string, e: unknown): unknown {
  if (e instanceof FleetyardError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new FleetyardError('FY_DRIVER_FAILED', `${driver} ${op} of ${applianceId} failed: ${detail}`, { applianceId, op });
}

/** Runs one driver operation, turning any failure into a driverFailure. */
export async function driverCall<T>(driver: string, applianceId: string, op: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw driverFailure(driver, applianceId, op, e);
  }
}
