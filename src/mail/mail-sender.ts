import type { Clock, Timer } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';
import { mailEvent } from './mail-events.ts';
import { MailRepo, type MailRow } from './mail-repo.ts';
import type { Sealer } from './outbox.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts';
import { describeSmtp, type SmtpConfig } from './smtp-config.ts';
import { SMTP_TIMEOUTS_MS, SmtpTransport } from './smtp-transport.ts';

export interface MailSenderOptions {
  store: Store;
  /** Undefined: no SMTP server; mails stay pending (one log line at start says so). */
  smtp: SmtpConfig | undefined;
  /** The store's clock unless given. Retries are scheduled on it, so a FakeClock drives them. */
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Opens bodies the outbox sealed; the same key as the outbox's. */
  sealer?: Sealer | undefined;
  log?: (msg: string) => void;
  /** Mails looked at per pass. */
  batchSize?: number;
}

/** A claim must outlast the longest send; a sender that died mid-send is replaced after it. */
const CLAIM_MS = 2 * (SMTP_TIMEOUTS_MS.connection + SMTP_TIMEOUTS_MS.greeting + SMTP_TIMEOUTS_MS.socket);
/** After a pass fails (the database, not a mail), the next one is tried this much later. */
const PASS_RETRY_MS = 30_000;

/**
 * Sends what the outbox recorded. It is woken by `kick()` after commits and by its own timer,
 * set on the clock for the next mail that falls due; it never runs two passes at once.
 *
 * Invariants:
 * - A mail is claimed (a conditional update on its version) before it is sent, so two senders,
 *   here or in another control plane on the same database, never send it at the same time.
 * - A failed send is retried with exponential backoff until the retry policy's attempts are used
 *   up; then the mail is `failed` and an admin may retry it. Each mail keeps its own schedule,
 *   so one that keeps failing never holds back the others.
 * - Delivery is at least once: a crash after the server took a mail and before it was marked sent
 *   sends it again when the claim expires, with the same Message-ID.
 * - Nothing here throws into the lifecycle: errors are recorded on the mail and logged, and the
 *   log shows the server as describeSmtp does, never a password.
 */
export class MailSender {
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly log: (msg: string) => void;
  private readonly batchSize: number;
  private transport: SmtpTransport | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: { at: number; handle: Timer } | undefined;

  constructor(private readonly opts: MailSenderOptions) {
    this.clock = opts.clock ?? opts.store.clock;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    const { firstDelayMs, maxDelayMs, maxAttempts } = this.policy;
    if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1 && firstDelayMs > 0 && maxDelayMs >= firstDelayMs)) {
      throw new Error(`mail retry policy: need maxAttempts >= 1 and 0 < firstDelayMs <= maxDelayMs, got ${JSON.stringify(this.policy)}`);
    }
    this.log = opts.log ?? (() => undefined);
    this.batchSize = opts.batchSize ?? 50;
  }

  start(): void {
    if (this.transport || this.stopped) return;
    const smtp = this.opts.smtp;
    if (!smtp) {
      this.log('mail: no SMTP server is configured (set FLEETYARD_SMTP_URL or FLEETYARD_SMTP_HOST); mails are recorded and stay pending until one is');
      return;
    }
    this.transport = new SmtpTransport(smtp);
    this.log(`mail: sending through ${describeSmtp(smtp)} as ${smtp.from}`);
    this.kick();
  }

  /** Looks for due mails now (after a commit); cheap when there are none. */
  kick(): void {
    if (!this.transport || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((e) => this.passFailed(e))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no pass is running (tests wait on it after a kick or a clock advance). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.handle.cancel();
    this.timer = undefined;
    await this.idle();
    this.transport?.close();
  }

  private async pass(): Promise<void> {
    const repo = new MailRepo(this.opts.store.db);
    const due = await repo.due(this.clock.now(), this.batchSize);
    for (const mail of due) {
      if (this.stopped) return;
      await this.attempt(repo, mail);
    }
    if (due.length === this.batchSize) this.again = true;
    const next = await repo.nextAttemptAt();
    if (next && next.getTime() <= this.clock.now().getTime()) this.again = true;
    else this.wakeAt(next);
  }

  private async attempt(repo: MailRepo, mail: MailRow): Promise<void> {
    const transport = this.transport as SmtpTransport;
    const now = this.clock.now();
    const claimed = await repo.claim(mail, now, new Date(now.getTime() + CLAIM_MS));
    if (!claimed) return; // another sender has it, or an admin just changed it
    let messageId: string;
    try {
      messageId = await transport.send({ mailId: claimed.id, to: claimed.to_address, subject: claimed.subject, text: this.textOf(claimed) });
    } catch (e) {
      await this.attemptFailed(claimed, transport.describeError(e));
      return;
    }
    const recorded = await this.opts.store.transaction(async (tx) => {
      if (!(await new MailRepo(tx.db).markSent(claimed, this.clock.now(), messageId))) return false;
      await tx.emit(mailEvent('mail.sent', claimed, 'sent', { messageId }));
      return true;
    });
    if (!recorded) this.log(`mail ${claimed.id} to ${claimed.to_address} was sent, but its claim had expired and its record moved on`);
  }

  private textOf(mail: MailRow): string {
    if (mail.body_sealed !== 1) return mail.body_text;
    if (!this.opts.sealer) throw new Error('the body is sealed and this sender was given no key to open it');
    return this.opts.sealer.open(mail.body_text);
  }

  private async attemptFailed(claimed: MailRow, error: string): Promise<void> {
    const delay = retryDelayMs(this.policy, claimed.attempts);
    const retryAt = delay === undefined ? null : new Date(this.clock.now().getTime() + delay);
    await this.opts.store.transaction(async (tx) => {
      if (!(await new MailRepo(tx.db).markAttemptFailed(claimed, error, retryAt))) return;
      await tx.emit(retryAt
        ? mailEvent('mail.deferred', claimed, `deferred after attempt ${claimed.attempts}`, { error, nextAttemptAt: retryAt.toISOString() })
        : mailEvent('mail.failed', claimed, `failed after ${claimed.attempts} attempts`, { error }));
    });
    const which = `mail ${claimed.id} to ${claimed.to_address}: attempt ${claimed.attempts} of ${this.policy.maxAttempts} failed (${error})`;
    this.log(retryAt
      ? `${which}; trying again at ${retryAt.toISOString()}`
      : `${which}; giving up: the mail is failed (POST /api/v1/mails/${claimed.id}/retry sends it again)`);
  }

  /** Keeps one timer, for the earliest due mail; none when nothing is pending. */
  private wakeAt(when: Date | undefined): void {
    if (this.timer && this.timer.at === when?.getTime()) return;
    this.timer?.handle.cancel();
    this.timer = undefined;
    if (!when || this.stopped) return;
    const handle = this.clock.at(when, () => {
      this.timer = undefined;
      this.kick();
    });
    this.timer = { at: when.getTime(), handle };
  }

  private passFailed(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.log(`mail: a send pass failed (${this.transport?.describeError(e) ?? message}); trying again in ${PASS_RETRY_MS / 1000} s`);
    const retryAt = this.clock.now().getTime() + PASS_RETRY_MS;
    if (!this.timer || this.timer.at > retryAt) this.wakeAt(new Date(retryAt));
  }
}
