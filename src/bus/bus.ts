import type { FleetyardEvent } from '../domain/event.ts';

/**
 * The bus carries two kinds of message:
 *  - events: durable, at-least-once, in order per subject; consumers must be idempotent
 *    (reconcilers are, because they re-read state instead of trusting the payload);
 *  - commands: request/reply to one executor (an agent), with a timeout; no reply means "retry
 *    later", never "it happened".
 * Two implementations: in-process (embedded default) and NATS JetStream (scale).
 */
export interface Subscription {
  close(): Promise<void>;
}

export type EventHandler = (e: FleetyardEvent) => Promise<void>;
export type CommandHandler = (payload: unknown) => Promise<unknown>;

export interface RequestOptions {
  /**
   * Whether an answer is the one waited for. Without it the first answer is taken; with it,
   * answers it refuses are dropped and the wait goes on until one passes or the timeout ends, so
   * a stranger answering first cannot win (replies are checked for their signer's signature).
   */
  accept?: (value: unknown) => boolean;
}

export interface HandleOptions {
  /**
   * Serve in a queue group of this name: each command goes to one member of the group. Only for
   * subjects served by interchangeable control planes; an agent's own subjects never use one, so
   * whoever else subscribes to them cannot take a share of the agent's commands.
   */
  queue?: string;
}

export interface Bus {
  readonly kind: 'memory' | 'nats';
  /** Publishes an event; publishing the same event id twice delivers it at most once more. */
  publish(e: FleetyardEvent): Promise<void>;
  /**
   * Delivers every event published from now on (and, for a durable consumer, those it missed
   * while away) to `handler`, acknowledging each only after the handler resolved.
   */
  subscribe(consumer: string, handler: EventHandler): Promise<Subscription>;
  /** Sends a command and waits for the handler's answer. Rejects with FY_AGENT_UNREACHABLE on timeout. */
  request(subject: string, payload: unknown, timeoutMs: number, opts?: RequestOptions): Promise<unknown>;
  /** Serves commands sent to `subject`; a thrown error travels back to the requester. */
  handle(subject: string, handler: CommandHandler, opts?: HandleOptions): Promise<Subscription>;
  /** Fire-and-forget notice (heartbeats); lost if nobody listens. */
  notify(subject: string, payload: unknown): Promise<void>;
  listen(subject: string, handler: (payload: unknown) => Promise<void>): Promise<Subscription>;
  close(): Promise<void>;
}

export const eventSubject = (e: Pick<FleetyardEvent, 'kind' | 'type'>): string =>
  `fy.events.${e.kind}.${e.type.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
