import { ERROR_CODES, FleetyardError, type ErrorCode } from '../domain/errors.ts';

/** How a command handler's error crosses the bus and becomes an error again on the other side. */
export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
}

export function toWire(e: unknown): WireError {
  if (e instanceof FleetyardError) return { code: e.code, message: e.message, details: e.details };
  return { code: 'FY_DRIVER_FAILED', message: e instanceof Error ? e.message : String(e) };
}

export function fromWire(w: WireError): FleetyardError {
  const code = (w.code in ERROR_CODES ? w.code : 'FY_DRIVER_FAILED') as ErrorCode;
  return new FleetyardError(code, w.message, w.details);
}
