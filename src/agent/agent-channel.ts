import type { Bus, Subscription } from '../bus/bus.ts';
import type { Clock } from '../domain/clock.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { IdentityKey } from './identity-key.ts';
import { subjects, type AgentVerb, type CommandContent, type SealedCommand } from './protocol.ts';
import { asEnvelope, CONTROL_PLANE, ReplayGuard, signMessage, verifyMessage, type SignedEnvelope } from './signed-message.ts';
import { requestSigned, signedOutcome } from './signed-rpc.ts';
import type { TransitKey } from './transit-key.ts';

/**
 * An enrolled agent's side of the bus. Everything it sends is signed with its identity key as
 * its host; every command it serves must be signed by the pinned control-plane key, fresh, not
 * replayed, sealed to its transit key, and name this host, or it is refused (and logged). Every
 * reply, a refusal included, is signed, so the control plane can tell it from a stranger's.
 */
export class AgentChannel {
  private readonly guard = new ReplayGuard();

  constructor(
    private readonly bus: Bus,
    private readonly identity: IdentityKey,
    private readonly transitKey: TransitKey,
    readonly hostId: string,
    private readonly controlPlaneKey: string,
    private readonly clock: Clock,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  notify(subject: string, body: unknown): Promise<void> {
    return this.bus.notify(subject, signMessage(this.identity, this.hostId, subject, body, this.clock.now()));
  }

  /** A request to the control plane; only a reply signed with the pinned key is taken. */
  request(subject: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const env = signMessage(this.identity, this.hostId, subject, body, this.clock.now());
    return requestSigned(this.bus, subject, env, timeoutMs, (reply, replySubject) =>
      reply.by === CONTROL_PLANE ? verifyMessage(reply, replySubject, this.controlPlaneKey, this.clock.now()) : { ok: false, reason: 'not the control plane' },
    );
  }

  /** Serves one verb; the handler gets the command's body and the fencing epoch it was sent at. */
  serve(verb: AgentVerb, handler: (body: unknown, epoch: number) => Promise<unknown>): Promise<Subscription> {
    const subject = subjects.agent(this.hostId, verb);
    return this.bus.handle(subject, async (raw) => {
      const env = asEnvelope(raw);
      if (!env) return null;
      return signedOutcome(this.identity, this.hostId, env.nonce, () => this.clock.now(), async () => {
        const content = this.openCommand(subject, verb, env);
        return handler(content.body, typeof content.epoch === 'number' ? content.epoch : 0);
      });
    });
  }

  private openCommand(subject: string, verb: AgentVerb, env: SignedEnvelope): CommandContent {
    const refuse = (reason: string): never => {
      this.log(`refused a command on ${subject}: ${reason}`);
      throw new FleetyardError('FY_MESSAGE_REFUSED', `command refused: ${reason}`);
    };
    if (env.by !== CONTROL_PLANE) refuse('not signed by the control plane');
    const v = verifyMessage(env, subject, this.controlPlaneKey, this.clock.now(), this.guard);
    if (!v.ok) return refuse(v.reason);
    const outer = v.body as Partial<SealedCommand> | null;
    if (outer?.for !== this.hostId) refuse(`addressed to host ${String(outer?.for)}`);
    let content: Partial<CommandContent> | null;
    try {
      content = JSON.parse(this.transitKey.open(String(outer?.sealed))) as Partial<CommandContent>;
    } catch {
      return refuse('not sealed for this host');
    }
    if (content?.for !== this.hostId || content.verb !== verb) refuse(`sealed for host ${String(content?.for)} / ${String(content?.verb)}`);
    return content as CommandContent;
  }
}
