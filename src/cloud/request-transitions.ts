import { REQUEST_LABEL, type CloudRequest, type RequestState, type RequestStatus } from '../domain/cloud-request.ts';
import type { Repos, Store } from '../store/store.ts';
import type { MailPort } from './ports.ts';

export interface Transition {
  /** Every state but `new`, which a request is submitted in (request.submitted), not moved to. */
  to: Exclude<RequestState, 'new'>;
  reason: string;
  patch?: Partial<RequestStatus>;
  /** Mail template to send to the owner, with its variables. */
  mail?: { template: string; vars: Record<string, string> };
  /** Extra work in the same transaction (meters, reservations). */
  also?: (tx: Repos) => Promise<void>;
}

/**
 * Moves a request to another state: status, history, event and mail commit together. The mail's
 * idempotency key is the request and the state it announces, so a replay mails once.
 */
export async function transition(store: Store, mail: MailPort, r: CloudRequest, t: Transition): Promise<CloudRequest> {
  return store.transaction((tx) => transitionIn(tx, store, mail, r, t));
}

/** The same, inside a transaction the caller holds (for decisions that must commit with it). */
export async function transitionIn(tx: Repos, store: Store, mail: MailPort, r: CloudRequest, t: Transition): Promise<CloudRequest> {
  const now = store.clock.now();
  {
    const status: RequestStatus = {
      ...r.status,
      ...t.patch,
      state: t.to,
      reason: t.reason,
      observedGeneration: r.generation,
      history: [...r.status.history, { state: t.to, at: now.toISOString(), reason: t.reason }].slice(-200),
    };
    const next = await tx.requests.update({ ...r, status }, now);
    await tx.emit({
      type: `request.${t.to}`,
      kind: 'request',
      objectId: r.id,
      ownerId: r.spec.ownerId,
      message: `request ${r.name}: ${r.status.state} → ${t.to} (${t.reason})`,
      data: { from: r.status.state, to: t.to, reason: t.reason, ownerId: r.spec.ownerId },
    });
    await t.also?.(tx);
    if (t.mail) {
      const owner = await tx.users.get(r.spec.ownerId);
      if (owner) {
        await mail.enqueue(tx, {
          to: owner.spec.email,
          recipientId: owner.id,
          template: t.mail.template,
          vars: { user: owner.name, request: r.name, state: t.to, reason: t.reason, ...t.mail.vars },
          idempotencyKey: `request:${r.id}:${t.to}:${r.status.history.filter((h) => h.state === t.to).length}`,
          related: { kind: 'request', id: r.id },
        });
      }
    }
    return next;
  }
}

export const requestOfAppliance = (labels: Record<string, string>): string | undefined => labels[REQUEST_LABEL];
