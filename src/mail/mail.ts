import { z } from 'zod';

/**
 * A mail as Fleetyard shows it: the record of one message to one person, from the moment the
 * change it reports commits until it is sent or given up on.
 *
 *   pending ──send ok──► sent
 *      │ ▲
 *      │ └── send failed, attempts left: retried at nextAttemptAt (backoff)
 *      └──── send failed, no attempts left ──► failed ──admin retry──► pending
 *
 * `body` is the text with secret variables (a generated password) hidden; the sent text itself is
 * never shown again.
 */
export const mailStateSchema = z.enum(['pending', 'sent', 'failed']);
export type MailState = z.infer<typeof mailStateSchema>;

export const relatedSchema = z.object({ kind: z.string(), id: z.string() });
export type Related = z.infer<typeof relatedSchema>;

export const mailSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    template: z.string(),
    subject: z.string(),
    body: z.string().meta({ description: 'The text as sent, with secret values such as a generated password hidden' }),
    state: mailStateSchema,
    attempts: z.number().int().meta({ description: 'Sends tried so far' }),
    nextAttemptAt: z.string().nullable().meta({ description: 'When a pending mail is tried next' }),
    lastError: z.string().nullable(),
    idempotencyKey: z.string(),
    related: relatedSchema.nullable().meta({ description: 'The object the mail is about, such as a request' }),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    messageId: z.string().nullable().meta({ description: 'The Message-ID the mail was sent with' }),
  })
  .meta({ id: 'Mail' });
export type Mail = z.infer<typeof mailSchema>;
