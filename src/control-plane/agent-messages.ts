import { asEnvelope, ReplayGuard, verifyMessage } from '../agent/signed-message.ts';
import type { ErrorCode } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import type { Store } from '../store/store.ts';

export type Opened = { ok: true; hostId: string; nonce: string; body: unknown } | { ok: false; code: ErrorCode; reason: string };

/** One log line and at most one event per claimed sender in this long. */
const REPORT_EVERY_MS = 60_000;

/**
 * The control plane's check on everything an enrolled agent sends (registrations, heartbeats,
 * discovered machines, runtime events): the envelope must be signed by the identity key the
 * claimed host enrolled with, for this subject, fresh and not seen before. What fails is dropped
 * with a log line and, when it claims a host that exists, a `host.message-refused` event on it,
 * both throttled per claimed sender so a flood of forgeries cannot flood the log or the events.
 */
export class AgentMessages {
  private readonly guard = new ReplayGuard();
  private readonly reported = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly store: Store,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  async open(subject: string, raw: unknown): Promise<Opened> {
    const env = asEnvelope(raw);
    if (!env) return this.refuse(undefined, subject, 'FY_MESSAGE_REFUSED', 'not a signed envelope');
    const keys = env.by && isId(env.by) ? await this.store.read.enrollment.hostKeys(env.by) : undefined;
    if (!keys) return this.refuse(env.by, subject, 'FY_HOST_NOT_ENROLLED', 'the sender is not an enrolled host');
    const v = verifyMessage(env, subject, keys.identity_key, this.store.clock.now(), this.guard);
    if (!v.ok) return this.refuse(env.by, subject, 'FY_MESSAGE_REFUSED', v.reason);
    return { ok: true, hostId: env.by, nonce: v.nonce, body: v.body };
  }

  /** Records a refusal (throttled) and returns it. */
  async refuse(claimed: string | undefined, subject: string, code: ErrorCode, reason: string): Promise<Opened & { ok: false }> {
    const who = claimed && isId(claimed) ? claimed : '(unknown)';
    const now = this.store.clock.now().getTime();
    const last = this.reported.get(who);
    if (last && now - last.at < REPORT_EVERY_MS) {
      last.suppressed++;
      return { ok: false, code, reason };
    }
    if (this.reported.size > 10_000) this.reported.clear();
    this.reported.set(who, { at: now, suppressed: 0 });
    const more = last?.suppressed ? ` (and ${last.suppressed} more refused since the last report)` : '';
    this.log(`refused a message on ${subject} claiming host ${who}: ${reason}${more}`);
    if (who !== '(unknown)') {
      try {
        await this.store.transaction(async (tx) => {
          const host = await tx.resources.get(who);
          if (!host) return;
          await tx.emit({
            type: 'host.message-refused',
            kind: 'resource',
            objectId: host.id,
            message: `a message on ${subject} claiming to be host ${host.name} was refused: ${reason}`,
            data: { subject, reason, code },
          });
        });
      } catch (e) {
        this.log('recording a refused message failed', e);
      }
    }
    return { ok: false, code, reason };
  }
}
