import { z } from 'zod';
import type { Clock } from '../domain/clock.ts';
import type { IdSource } from '../domain/ids.ts';
import type { Repos } from '../store/store.ts';
import { secretVariables } from './catalog.ts';
import { mailEvent } from './mail-events.ts';
import { MailRepo, type MailRow } from './mail-repo.ts';
import type { Related } from './mail.ts';
import type { MailTemplates, MailVars, RenderedMail } from './templates.ts';

/** A mail to record with the change that causes it. */
export interface OutgoingMail {
  to: string;
  /** The user it is for, so its events reach them (null: a mail to no user). */
  recipientId: string | null;
  /** A name from the catalog (catalog.ts). */
  template: string;
  vars: MailVars;
  /** Same key, one mail: a replayed transition never mails twice. */
  idempotencyKey: string;
  /** The object the mail is about, so it can be found from there. */
  related?: Related | undefined;
}

/** Encryption at rest for bodies holding a secret; the identity SecretBox fits. */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface OutboxDeps {
  templates: MailTemplates;
  ids: IdSource;
  clock: Clock;
  /** Seals a body that holds a secret (a generated password) until it is sent. */
  sealer?: Sealer | undefined;
  log?: ((msg: string) => void) | undefined;
}

export interface EnqueueResult {
  id: string;
  /** False when a mail with this idempotency key already existed (nothing was written). */
  created: boolean;
}

const emailAddress = z.email().max(254);

/**
 * Records a mail in the caller's transaction, so it exists exactly when the change it reports
 * commits; the MailSender sends it afterwards. Rendering happens here, so the record shows the
 * text that goes out.
 *
 * Nothing about the mail itself can make this throw and so abort the caller's change: a broken
 * admin override falls back to the shipped template, and a mail that still cannot be prepared
 * (unknown template, bad address) is recorded as `failed` with the reason, and logged. Only a
 * database error, which dooms the transaction anyway, propagates.
 */
export async function enqueueMail(tx: Repos, mail: OutgoingMail, deps: OutboxDeps): Promise<EnqueueResult> {
  const repo = new MailRepo(tx.db);
  const log = deps.log ?? (() => undefined);
  const id = deps.ids.next();
  const now = deps.clock.now().toISOString();
  const base: MailRow = {
    id,
    to_address: mail.to,
    recipient_id: mail.recipientId,
    template: mail.template,
    subject: '',
    body_text: '',
    body_redacted: '',
    body_sealed: 0,
    state: 'pending',
    attempts: 0,
    version: 1,
    next_attempt_at: now,
    claimed_until: null,
    last_error: null,
    idempotency_key: mail.idempotencyKey,
    related_kind: mail.related?.kind ?? null,
    related_id: mail.related?.id ?? null,
    created_at: now,
    sent_at: null,
    message_id: null,
  };
  let row: MailRow;
  try {
    if (!emailAddress.safeParse(mail.to).success) throw new Error(`"${mail.to.slice(0, 254)}" is not an e-mail address`);
    const rendered = await render(mail, deps.templates, log);
    const sealIt = deps.sealer !== undefined && secretVariables(mail.template).some((v) => String(mail.vars[v] ?? '') !== '');
    row = {
      ...base,
      subject: rendered.subject,
      body_text: sealIt ? (deps.sealer as Sealer).seal(rendered.body) : rendered.body,
      body_redacted: rendered.redactedBody,
      body_sealed: sealIt ? 1 : 0,
    };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    log(`mail ${id} (${mail.template}, key ${mail.idempotencyKey}) cannot be prepared and is recorded as failed: ${reason}`);
    row = { ...base, subject: `(${mail.template}: not sent)`, state: 'failed', next_attempt_at: null, last_error: reason };
  }
  if (await repo.insertIfAbsent(row)) {
    await tx.emit(row.state === 'failed'
      ? mailEvent('mail.failed', row, 'could not be prepared', { error: row.last_error ?? '' })
      : mailEvent('mail.queued', row, 'queued', {}));
    return { id, created: true };
  }
  const existing = await repo.getByIdempotencyKey(mail.idempotencyKey);
  return { id: existing?.id ?? id, created: false };
}

/** The template in effect; when an admin's override fails, the shipped one (and a log line). */
async function render(mail: OutgoingMail, templates: MailTemplates, log: (msg: string) => void): Promise<RenderedMail> {
  try {
    return (await templates.load(mail.template)).render(mail.vars);
  } catch (e) {
    if (!templates.overrideDir) throw e;
    let fallback: RenderedMail;
    try {
      fallback = (await templates.loadDefault(mail.template)).render(mail.vars);
    } catch {
      throw e;
    }
    log(`${e instanceof Error ? e.message : String(e)}; using the shipped template instead`);
    return fallback;
  }
}

/**
 * The outbox bound to its dependencies, for code that only has a transaction. `enqueue` is the
 * cloud lifecycle's MailPort (src/cloud/ports.ts); `enqueueMail` also says what happened.
 */
export class MailOutbox {
  constructor(private readonly deps: OutboxDeps) {}

  enqueueMail(tx: Repos, mail: OutgoingMail): Promise<EnqueueResult> {
    return enqueueMail(tx, mail, this.deps);
  }

  async enqueue(tx: Repos, mail: OutgoingMail): Promise<void> {
    await enqueueMail(tx, mail, this.deps);
  }
}
