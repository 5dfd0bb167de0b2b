import { randomBytes } from 'node:crypto';
import { verifySignature, type IdentityKey } from './identity-key.ts';

/**
 * How every message between the control plane and an agent travels: a signed envelope.
 *
 * The signature covers the subject the message is meant for (logical, without a namespace), the
 * signer, a timestamp, a nonce and the payload text, so a message cannot be moved to another
 * subject, claimed by another signer, changed, or replayed outside the freshness window (and
 * inside it only once: `ReplayGuard`). The payload is JSON text carried as a string, so what was
 * signed is exactly what is verified, whatever JSON parser sits in between.
 *
 * Signers: a host id (an enrolled agent), `''` (an agent enrolling: its key is in the payload and
 * the signature proves it holds the private half), or `control-plane`.
 */
export interface SignedEnvelope {
  by: string;
  /** Milliseconds since the epoch, on the signer's clock. */
  at: number;
  nonce: string;
  payload: string;
  sig: string;
}

export const CONTROL_PLANE = 'control-plane';
/** Clocks of two machines may differ by this much; older or newer messages are refused. */
export const MAX_SKEW_MS = 120_000;
/** Largest payload text accepted (the bus has its own, lower, limit). */
const MAX_PAYLOAD = 8 * 1024 * 1024;

const signingInput = (subject: string, by: string, at: number, nonce: string, payload: string): Buffer =>
  Buffer.from(`fleetyard-signed-v1\n${subject}\n${by}\n${at}\n${nonce}\n${payload}`, 'utf8');

export function signMessage(key: IdentityKey, by: string, subject: string, body: unknown, now: Date): SignedEnvelope {
  const at = now.getTime();
  const nonce = randomBytes(16).toString('base64url');
  const payload = JSON.stringify(body ?? null);
  return { by, at, nonce, payload, sig: key.sign(signingInput(subject, by, at, nonce, payload)) };
}

/** The envelope's shape, without trusting anything in it yet. */
export function asEnvelope(raw: unknown): SignedEnvelope | undefined {
  const e = raw as Partial<SignedEnvelope> | null;
  if (e === null || typeof e !== 'object') return undefined;
  if (typeof e.by !== 'string' || e.by.length > 100) return undefined;
  if (typeof e.at !== 'number' || !Number.isSafeInteger(e.at)) return undefined;
  if (typeof e.nonce !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(e.nonce)) return undefined;
  if (typeof e.payload !== 'string' || e.payload.length > MAX_PAYLOAD) return undefined;
  if (typeof e.sig !== 'string' || e.sig.length > 200) return undefined;
  return e as SignedEnvelope;
}

export type Verified = { ok: true; by: string; nonce: string; body: unknown } | { ok: false; reason: string };

/**
 * Checks `env` against the signer's public key for `subject`; with a guard, also its freshness
 * and that its nonce was not seen before. Never throws.
 */
export function verifyMessage(env: SignedEnvelope, subject: string, publicKey: string, now: Date, guard?: ReplayGuard): Verified {
  if (!verifySignature(publicKey, signingInput(subject, env.by, env.at, env.nonce, env.payload), env.sig)) {
    return { ok: false, reason: 'bad signature' };
  }
  if (guard) {
    const fresh = guard.admit(env.by, env.nonce, env.at, now);
    if (fresh !== true) return { ok: false, reason: fresh };
  }
  let body: unknown;
  try {
    body = JSON.parse(env.payload);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  return { ok: true, by: env.by, nonce: env.nonce, body };
}

/**
 * Refuses a message whose timestamp is outside ±MAX_SKEW_MS of now, and a nonce seen within the
 * window. Nonces are forgotten once no message carrying them could still be fresh; the set is
 * bounded, and when full refuses rather than forgets (a flood cannot open a replay window).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = MAX_SKEW_MS,
    private readonly capacity = 200_000,
  ) {}

  admit(by: string, nonce: string, at: number, now: Date): true | string {
    const t = now.getTime();
    if (Math.abs(t - at) > this.windowMs) return 'stale or future timestamp';
    for (const [key, expires] of this.seen) {
      if (expires > t) break;
      this.seen.delete(key);
    }
    const key = `${by}\n${nonce}`;
    if (this.seen.has(key)) return 'replayed';
    if (this.seen.size >= this.capacity) return 'too many messages in the replay window';
    // Map order is insertion order; expiries grow with the clock, so the front expires first.
    this.seen.set(key, t + 2 * this.windowMs);
    return true;
  }
}
