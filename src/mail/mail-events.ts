import type { NewEvent } from '../domain/event.ts';
import type { MailRow } from './mail-repo.ts';

/**
 * The events a mail's record writes, each in the transaction of its change (the event log is the
 * outbox, as for every other kind): queued with the change that caused it, then sent, deferred
 * (an attempt failed, another follows), failed (given up, or never preparable) and retried (an
 * admin). They carry the recipient and template, never the text.
 */
export type MailEventType = 'mail.queued' | 'mail.sent' | 'mail.deferred' | 'mail.failed' | 'mail.retried';

export function mailEvent(type: MailEventType, mail: MailRow, what: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    kind: 'mail',
    objectId: mail.id,
    message: `mail ${mail.template} to ${mail.to_address} ${what}`,
    data: {
      to: mail.to_address,
      template: mail.template,
      attempts: Number(mail.attempts),
      related: mail.related_kind !== null && mail.related_id !== null ? { kind: mail.related_kind, id: mail.related_id } : null,
      ...data,
    },
  };
}
