import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, createInbox, nanos, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { FleetyardError } from '../domain/errors.ts';
import type { FleetyardEvent } from '../domain/event.ts';
import { eventSubject, type Bus, type CommandHandler, type EventHandler, type HandleOptions, type RequestOptions, type Subscription } from './bus.ts';
import { natsConnectOptions, type NatsSecurity } from './nats-security.ts';
import { DEFAULT_MAX_PAYLOAD, encodeMessage, encodeWithin } from './payload-limit.ts';
import { fromWire, toWire, type WireError } from './remote-error.ts';

export interface NatsBusOptions {
  /** JetStream stream that holds the events; default `FLEETYARD_EVENTS`. */
  stream?: string;
  /** Subject prefix of events instead of `fy.events`, so tests can share one server. */
  subjectPrefix?: string;
  /**
   * Puts everything of this installation under one name on a shared NATS server: the stream
   * becomes `FY_<NAMESPACE>`, events `<namespace>.events.…`, and commands and notices
   * `<namespace>.<subject>`. Explicit `stream` / `subjectPrefix` still win.
   */
  namespace?: string | undefined;
  /** TLS and credentials (nats-security.ts). */
  security?: NatsSecurity | undefined;
  /**
   * false: commands and notices only, no JetStream at all (an agent), so the NATS user of an
   * agent needs no permission on the JetStream API and cannot read or delete the event stream.
   */
  events?: boolean;
  /**
   * Where replies to this connection's requests arrive. Agents use their own prefix, so a NATS
   * server can let them subscribe to their replies without letting them read the control plane's.
   */
  inboxPrefix?: string;
  /** Connection name, as the server's monitoring shows it. */
  name?: string;
  /** Where failures that no caller can receive go (a reply that could not be sent, a notice handler that failed). */
  log?: (msg: string, err?: unknown) => void;
}

/** The inbox prefix agents use (docs/nats-server.conf lets agents subscribe to it, and not to `_INBOX.>`). */
export const AGENT_INBOX_PREFIX = '_FY_AGENT_INBOX';

/** The prefix `eventSubject()` produces; replaced by the configured one. */
const DEFAULT_PREFIX = 'fy.events';
/** JetStream drops a message id seen again within this window (the outbox republish case). */
const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** The server redelivers an unacknowledged event after this; a busy handler keeps it alive. */
const ACK_WAIT_MS = 30_000;

/** What a command reply carries: the handler's value or its error, never a bare exception. */
type Reply = { ok: true; value: unknown } | { ok: false; error: WireError };

/** Wait between reconnect attempts; a restarted server is found again within about this long. */
const RECONNECT_WAIT_MS = 1_000;

/**
 * The bus on NATS. Events live in a JetStream stream; each `subscribe(consumer)` is a durable pull
 * consumer that allows one unacknowledged event at a time (`max_ack_pending: 1`), which is what
 * keeps delivery in order even when a handler fails and the event comes back after a nak.
 * Commands and notices use core NATS (no persistence): a command nobody answers is
 * FY_AGENT_UNREACHABLE, a notice nobody hears is gone.
 *
 * De-duplication: the event id is the JetStream message id, so the outbox republishing an event
 * within DUPLICATE_WINDOW_MS stores it once; later than that, consumers' idempotence covers it.
 */
export class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  private readonly subscriptions = new Set<Subscription>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jetStream: { js: JetStreamClient; jsm: JetStreamManager } | undefined,
    readonly stream: string,
    readonly subjectPrefix: string,
    private readonly commandPrefix: string,
    private readonly inboxPrefix: string | undefined,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  /** The server's limit on one message (max_payload), which every message is checked against. */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  static async connect(url: string, opts: NatsBusOptions = {}): Promise<NatsBus> {
    const ns = opts.namespace;
    if (ns !== undefined && !/^[a-zA-Z0-9_-]{1,64}$/.test(ns)) throw new Error(`NATS namespace "${ns}" must be 1-64 of [a-zA-Z0-9_-]`);
    const stream = opts.stream ?? (ns ? `FY_${ns.toUpperCase().replace(/-/g, '_')}` : 'FLEETYARD_EVENTS');
    const subjectPrefix = opts.subjectPrefix ?? (ns ? `${ns}.events` : DEFAULT_PREFIX);
    const commandPrefix = ns ? `${ns}.` : '';
    // Reconnect for ever: a NATS server that restarts must not leave a control plane or an
    // agent running without its bus. Commands sent meanwhile fail as FY_AGENT_UNREACHABLE.
    const nc = await connect({
      servers: url,
      name: opts.name ?? 'fleetyard',
      maxReconnectAttempts: -1,
      reconnectTimeWait: RECONNECT_WAIT_MS,
      ...(opts.inboxPrefix ? { inboxPrefix: opts.inboxPrefix } : {}),
      ...natsConnectOptions(opts.security),
    });
    try {
      const log = opts.log ?? (() => undefined);
      if (opts.events === false) return new NatsBus(nc, undefined, stream, subjectPrefix, commandPrefix, opts.inboxPrefix, log);
      const jsm = await jetstreamManager(nc);
      await ensureStream(jsm, stream, subjectPrefix);
      return new NatsBus(nc, { js: jetstream(nc), jsm }, stream, subjectPrefix, commandPrefix, opts.inboxPrefix, log);
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  private get js(): JetStreamClient {
    if (!this.jetStream) throw new Error('this NATS connection carries commands and notices only, no events');
    return this.jetStream.js;
  }

  private get jsm(): JetStreamManager {
    if (!this.jetStream) throw new Error('this NATS connection carries commands and notices only, no events');
    return this.jetStream.jsm;
  }

  private subjectOf(e: FleetyardEvent): string {
    return this.subjectPrefix + eventSubject(e).slice(DEFAULT_PREFIX.length);
  }

  async publish(e: FleetyardEvent): Promise<void> {
    await this.js.publish(this.subjectOf(e), encodeWithin(e, this.maxPayload, `event ${e.type}`), { msgID: e.id });
  }

  async subscribe(consumer: string, handler: EventHandler): Promise<Subscription> {
    await this.ensureConsumer(consumer);
    const c = await this.js.consumers.get(this.stream, consumer);
    const messages = await c.consume({ max_messages: 1 });
    let closing = false;
    const loop = this.deliver(messages, handler, () => closing);
    const sub: Subscription = {
      close: async () => {
        closing = true;
        this.subscriptions.delete(sub);
        await messages.close();
        await loop;
      },
    };
    this.subscriptions.add(sub);
    return sub;
  }

  /**
   * Hands events to `handler` one at a time. An event still buffered when the subscription closes
   * is given back at once (nak without delay) so the next subscriber need not wait for ACK_WAIT.
   */
  private async deliver(messages: ConsumerMessages, handler: EventHandler, closing: () => boolean): Promise<void> {
    try {
      for await (const m of messages) {
        if (closing()) {
          m.nak();
          continue;
        }
        await this.handleOne(m, handler);
      }
    } catch {
      // The iterator fails only when the connection closes under it or the consumer is deleted;
      // what was not acknowledged stays in the stream for the next subscriber.
    }
  }

  private async handleOne(m: JsMsg, handler: EventHandler): Promise<void> {
    let event: FleetyardEvent;
    try {
      event = m.json<FleetyardEvent>();
    } catch {
      m.term('not a Fleetyard event');
      return;
    }
    const keepAlive = setInterval(() => m.working(), ACK_WAIT_MS / 3);
    try {
      await handler(event);
    } catch {
      // Back off with the number of attempts: 50 ms, 100 ms … up to 5 s.
      m.nak(Math.min(50 * 2 ** (m.info.deliveryCount - 1), 5_000));
      return;
    } finally {
      clearInterval(keepAlive);
    }
    // Wait for the server to confirm, so a subscriber closed right after sees no redelivery.
    await m.ackAck().catch(() => false);
  }

  /** Creates the durable consumer if absent; it starts at events published from then on. */
  private async ensureConsumer(name: string): Promise<void> {
    try {
      await this.jsm.consumers.info(this.stream, name);
      return;
    } catch (e) {
      if (!(e instanceof JetStreamApiError && e.code === JetStreamApiCodes.ConsumerNotFound)) throw e;
    }
    await this.jsm.consumers.add(this.stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      max_ack_pending: 1,
      ack_wait: nanos(ACK_WAIT_MS),
    });
  }

  /**
   * Sends a command and collects answers on an inbox of its own until one is taken: the first
   * answer, or with `accept` the first one it accepts (others are dropped, so a stranger that
   * answers first does not win). Nobody serving the subject (the server's "no responders") or no
   * acceptable answer within the timeout is FY_AGENT_UNREACHABLE.
   */
  request(subject: string, payload: unknown, timeoutMs: number, opts: RequestOptions = {}): Promise<unknown> {
    const unreachable = () => new FleetyardError('FY_AGENT_UNREACHABLE', `${subject} did not answer`, { subject });
    return new Promise((resolve, reject) => {
      let done = false;
      const inbox = createInbox(this.inboxPrefix);
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sub.unsubscribe();
        settle();
      };
      const timer = setTimeout(() => finish(() => reject(unreachable())), timeoutMs);
      const sub = this.nc.subscribe(inbox, {
        callback: (err, msg) => {
          if (err) return finish(() => reject(err));
          if (msg.data.length === 0 && msg.headers?.status === '503') return finish(() => reject(unreachable()));
          let reply: Reply;
          try {
            reply = msg.json<Reply>();
          } catch {
            return; // not an answer of ours; keep waiting
          }
          if (reply === null || typeof reply !== 'object') return;
          if (!opts.accept) return finish(() => (reply.ok ? resolve(reply.value) : reject(fromWire(reply.error))));
          if (reply.ok === true && opts.accept(reply.value)) finish(() => resolve(reply.value));
        },
      });
      try {
        this.nc.publish(this.commandPrefix + subject, encodeWithin(payload, this.maxPayload, `a command on ${subject}`), { reply: inbox });
      } catch (e) {
        finish(() => reject(e));
      }
    });
  }

  /**
   * Serves `subject`. Without a queue group every subscriber gets every command, which is what an
   * agent's subjects need (nobody else can take a share of them); with `queue`, interchangeable
   * control planes split the commands so each runs once.
   */
  async handle(subject: string, handler: CommandHandler, opts: HandleOptions = {}): Promise<Subscription> {
    const sub = this.nc.subscribe(this.commandPrefix + subject, {
      ...(opts.queue ? { queue: opts.queue } : {}),
      callback: (err, msg) => {
        if (err) return;
        answer(msg, handler, this.maxPayload).catch((e: unknown) => this.log(`answering ${subject} failed`, e));
      },
    });
    return this.track(() => sub.drain());
  }

  async notify(subject: string, payload: unknown): Promise<void> {
    this.nc.publish(this.commandPrefix + subject, encodeWithin(payload, this.maxPayload, `a notice on ${subject}`));
  }

  async listen(subject: string, handler: (payload: unknown) => Promise<void>): Promise<Subscription> {
    const sub = this.nc.subscribe(this.commandPrefix + subject, {
      callback: (err, msg) => {
        if (err) return;
        let payload: unknown;
        try {
          payload = msg.json<unknown>();
        } catch {
          return;
        }
        handler(payload).catch((e: unknown) => this.log(`a notice on ${subject} was not handled`, e));
      },
    });
    return this.track(() => sub.drain());
  }

  async close(): Promise<void> {
    for (const s of [...this.subscriptions]) await s.close().catch(() => undefined);
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  private track(stop: () => Promise<void>): Subscription {
    const sub: Subscription = {
      close: async () => {
        this.subscriptions.delete(sub);
        if (!this.nc.isClosed()) await stop();
      },
    };
    this.subscriptions.add(sub);
    return sub;
  }
}

/**
 * Runs the handler and sends its answer. A value too big for the bus goes back as the error
 * FY_BUS_MESSAGE_TOO_LARGE instead, so the requester learns why rather than timing out; a reply
 * that cannot be sent at all (the connection is gone) rejects, and the caller logs it.
 */
async function answer(msg: Msg, handler: CommandHandler, maxPayload: number): Promise<void> {
  let reply: Reply;
  try {
    reply = { ok: true, value: (await handler(msg.json<unknown>())) ?? null };
  } catch (e) {
    reply = { ok: false, error: toWire(e) };
  }
  let data: Uint8Array;
  try {
    data = encodeWithin(reply, maxPayload, `the reply on ${msg.subject}`);
  } catch (e) {
    data = encodeMessage({ ok: false, error: toWire(e) } satisfies Reply);
  }
  msg.respond(data);
}

async function ensureStream(jsm: JetStreamManager, name: string, prefix: string): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch (e) {
    if (!(e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound)) throw e;
  }
  await jsm.streams.add({
    name,
    subjects: [`${prefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}
