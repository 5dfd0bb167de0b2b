import type { Bus } from '../bus/bus.ts';
import { fromWire, toWire, type WireError } from '../bus/remote-error.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { IdentityKey } from './identity-key.ts';
import { asEnvelope, signMessage, type SignedEnvelope, type Verified } from './signed-message.ts';

/**
 * Request and reply with signed envelopes on both legs. A reply is signed for the subject
 * `reply.<nonce of the request>`, so it answers that one request only, and the requester takes
 * the first reply that its check accepts: a stranger's answer, however early, is dropped.
 * Errors travel inside the signed reply too, so a refusal cannot be forged either.
 */
export type SignedReply = { ok: true; value: unknown } | { ok: false; error: WireError };

export const replySubject = (requestNonce: string): string => `reply.${requestNonce}`;

/**
 * Sends `request` (already signed for `subject`) and waits for a reply that `check` verifies
 * against the expected signer. Resolves with the reply's value or rejects with its error.
 */
export async function requestSigned(
  bus: Bus,
  subject: string,
  request: SignedEnvelope,
  timeoutMs: number,
  check: (reply: SignedEnvelope, subject: string) => Verified,
): Promise<unknown> {
  const expected = replySubject(request.nonce);
  let accepted: unknown;
  await bus.request(subject, request, timeoutMs, {
    accept: (raw) => {
      const env = asEnvelope(raw);
      if (!env) return false;
      const v = check(env, expected);
      if (!v.ok) return false;
      accepted = v.body;
      return true;
    },
  });
  const reply = accepted as Partial<SignedReply> | null;
  if (reply?.ok === true) return reply.value ?? null;
  if (reply?.ok === false && reply.error) throw fromWire(reply.error);
  throw new FleetyardError('FY_DRIVER_FAILED', `${subject}: a signed reply without a result`);
}

/** Runs `work` and signs its outcome, value or error, as the reply to the request `nonce`. */
export async function signedOutcome(key: IdentityKey, by: string, requestNonce: string, now: () => Date, work: () => Promise<unknown>): Promise<SignedEnvelope> {
  let reply: SignedReply;
  try {
    reply = { ok: true, value: (await work()) ?? null };
  } catch (e) {
    reply = { ok: false, error: toWire(e) };
  }
  return signMessage(key, by, replySubject(requestNonce), reply, now());
}
