import type { EventData, NewEventOf } from '../domain/event-types.ts';
import type { MailRow } from './mail-repo.ts';

/**
 * The events a mail's record writes, each in the transaction of its change (the event log is the
 * outbox, as for every other kind): queued with the change that caused it, then sent, deferred
 * (an attempt failed, another follows), failed (given up, or never preparable) and retried (an
 * admin). They carry the recipient and template, never the text, and belong to the recipient.
 */
export type MailEventType = 'mail.queued' | 'mail.sent' | 'mail.deferred' | 'mail.failed' | 'mail.retried';

type MailBase = 'to' | 'template' | 'attempts' | 'related';

export function mailEvent<T extends MailEventType>(type: T, mail: MailRow, what: string, data: Omit<EventData<T>, MailBase>): NewEventOf<T> {
  return {
    type,
    kind: 'mail',
    objectId: mail.id,
    ownerId: mail.recipient_id,
    message: `mail ${mail.template} to ${mail.to_address} ${what}`,
    data: {
      to: mail.to_address,
      template: mail.template,
      attempts: Number(mail.attempts),
      related: mail.related_kind !== null && mail.related_id !== null ? { kind: mail.related_kind, id: mail.related_id } : null,
      ...data,
    },
  } as NewEventOf<T>;
}
