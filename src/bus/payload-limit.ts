import { FleetyardError } from '../domain/errors.ts';

/**
 * Every bus message has a size limit: NATS refuses a message over the server's `max_payload`
 * (1 MiB unless configured), and the in-process bus keeps the same limit so that what works
 * embedded works on NATS too. A message is encoded and measured before it is sent; one that does
 * not fit is refused with FY_BUS_MESSAGE_TOO_LARGE, never thrown from inside a transport callback
 * where nothing would catch it. Senders of big data (consoles, logs) send it in chunks that fit.
 */
export const DEFAULT_MAX_PAYLOAD = 1_048_576;

/** Room left for the reply envelope and NATS headers around a handler's value. */
const ENVELOPE_BYTES = 1_024;

export function encodeMessage(v: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v ?? null));
}

/** The encoded message, or FY_BUS_MESSAGE_TOO_LARGE when it would not fit in `maxPayload`. */
export function encodeWithin(v: unknown, maxPayload: number, what: string): Uint8Array {
  const bytes = encodeMessage(v);
  if (bytes.byteLength > maxPayload - ENVELOPE_BYTES) {
    throw new FleetyardError('FY_BUS_MESSAGE_TOO_LARGE', `${what} is ${bytes.byteLength} bytes; the bus carries at most ${maxPayload - ENVELOPE_BYTES}`, {
      bytes: bytes.byteLength,
      limit: maxPayload - ENVELOPE_BYTES,
    });
  }
  return bytes;
}
