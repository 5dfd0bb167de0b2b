import { FleetyardError } from '../domain/errors.ts';
import type { FleetyardEvent } from '../domain/event.ts';
import type { Bus, CommandHandler, EventHandler, RequestOptions, Subscription } from './bus.ts';
import { DEFAULT_MAX_PAYLOAD, encodeWithin } from './payload-limit.ts';
import { fromWire, toWire, type WireError } from './remote-error.ts';

/** A message as it would travel: checked against the size limit and copied through JSON. */
function overTheWire(v: unknown, maxPayload: number, what: string): unknown {
  return JSON.parse(new TextDecoder().decode(encodeWithin(v, maxPayload, what))) as unknown;
}

/**
 * The embedded bus: everything in one process. Events go to each subscriber's own queue and are
 * handed over one at a time; a handler that throws gets the same event again after a pause, so the
 * delivery contract (at-least-once, in order) is the same as with JetStream. Durability comes
 * from the outbox, which republishes whatever was not marked published before a crash.
 */
export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly subscribers = new Set<Consumer>();
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly listeners = new Map<string, Set<(p: unknown) => Promise<void>>>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];

  constructor(
    /** The same limit NATS has by default, so what passes here passes there. */
    readonly maxPayload = DEFAULT_MAX_PAYLOAD,
    private readonly log: (msg: string, err?: unknown) => void = () => undefined,
  ) {}

  async publish(e: FleetyardEvent): Promise<void> {
    encodeWithin(e, this.maxPayload, `event ${e.type}`);
    // Same de-duplication window idea as JetStream's Nats-Msg-Id.
    if (this.seen.has(e.id)) return;
    this.seen.add(e.id);
    this.seenOrder.push(e.id);
    if (this.seenOrder.length > 100_000) this.seen.delete(this.seenOrder.shift() as string);
    for (const s of this.subscribers) s.push(e);
  }

  async subscribe(_consumer: string, handler: EventHandler): Promise<Subscription> {
    const c = new Consumer(handler);
    this.subscribers.add(c);
    return {
      close: async () => {
        this.subscribers.delete(c);
        c.stop();
      },
    };
  }

  async request(subject: string, payload: unknown, timeoutMs: number, opts: RequestOptions = {}): Promise<unknown> {
    const handler = this.handlers.get(subject);
    if (!handler) throw new FleetyardError('FY_AGENT_UNREACHABLE', `nobody serves ${subject}`);
    // Round-trip through JSON, within the size limit, so the in-process bus cannot pass what NATS could not.
    const wire = overTheWire(payload, this.maxPayload, `a command on ${subject}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FleetyardError('FY_AGENT_UNREACHABLE', `${subject} timed out`)), timeoutMs);
    });
    try {
      const answer = await Promise.race([
        handler(wire).then(
          (v) => ({ ok: true as const, v }),
          (e: unknown) => ({ ok: false as const, e: toWire(e) }),
        ),
        timeout,
      ]);
      if (!answer.ok) throw fromWire(answer.e as WireError);
      const value = overTheWire(answer.v, this.maxPayload, `the reply on ${subject}`);
      // One handler per subject here, so an answer refused is the only answer there will be.
      if (opts.accept && !opts.accept(value)) throw new FleetyardError('FY_AGENT_UNREACHABLE', `${subject} gave no acceptable answer`);
      return value;
    } finally {
      clearTimeout(timer);
    }
  }

  async handle(subject: string, handler: CommandHandler): Promise<Subscription> {
    this.handlers.set(subject, handler);
    return { close: async () => void this.handlers.delete(subject) };
  }

  async notify(subject: string, payload: unknown): Promise<void> {
    const wire = overTheWire(payload, this.maxPayload, `a notice on ${subject}`);
    for (const l of this.listeners.get(subject) ?? []) {
      l(structuredClone(wire)).catch((e: unknown) => this.log(`a notice on ${subject} was not handled`, e));
    }
  }

  async listen(subject: string, handler: (payload: unknown) => Promise<void>): Promise<Subscription> {
    let set = this.listeners.get(subject);
    if (!set) this.listeners.set(subject, (set = new Set()));
    set.add(handler);
    return { close: async () => void set.delete(handler) };
  }

  async close(): Promise<void> {
    for (const s of this.subscribers) s.stop();
    this.subscribers.clear();
    this.handlers.clear();
    this.listeners.clear();
  }
}

class Consumer {
  private readonly queue: FleetyardEvent[] = [];
  private running = false;
  private stopped = false;

  constructor(private readonly handler: EventHandler) {}

  push(e: FleetyardEvent): void {
    if (this.stopped) return;
    this.queue.push(e);
    // drain() handles every failure of the handler itself; nothing else in it can reject.
    if (!this.running) this.drain().catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    let delay = 10;
    while (!this.stopped && this.queue.length > 0) {
      const e = this.queue[0] as FleetyardEvent;
      try {
        await this.handler(e);
        this.queue.shift();
        delay = 10;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
    this.running = false;
  }
}
