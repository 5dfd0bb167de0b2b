import { createParser } from 'eventsource-parser';
import type { FleetyardEvent } from '../src/domain/event.ts';
import { nowMs } from './clock.ts';

/** One event as the client saw it: the event itself and when its SSE frame was parsed. */
export interface Arrival {
  event: FleetyardEvent;
  atMs: number;
}

interface Waiter {
  resolve: (a: Arrival) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A single subscription to `/api/v1/events/stream?kind=appliance` shared by the whole run. Every
 * appliance latency ends when its event is parsed here, so the figures include the outbox relay,
 * the bus, the SSE pump and the wire, as a real client would experience them; nothing polls.
 *
 * Arrivals are kept per (objectId, type), so an event that lands before anyone waits for it (a
 * fast reconcile racing the HTTP response) is still found.
 */
export class EventWatch {
  private readonly arrivals = new Map<string, Arrival>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly abort = new AbortController();
  private failure: Error | undefined;
  private pump: Promise<void> | undefined;
  /** Counts per event type, for the report (e.g. how many `appliance.failed` happened). */
  readonly typeCounts = new Map<string, number>();

  private constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** Resolves once the server has sent its `: connected` preamble, so no later event is missed. */
  static async open(baseUrl: string, token: string | undefined): Promise<EventWatch> {
    const w = new EventWatch(baseUrl, token);
    await w.connect();
    return w;
  }

  private async connect(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/v1/events/stream?kind=appliance`, {
      headers: { accept: 'text/event-stream', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let connected!: () => void;
    const ready = new Promise<void>((r) => (connected = r));
    const parser = createParser({
      onComment: (c) => {
        if (c.trim() === 'connected') connected();
      },
      onEvent: (m) => this.accept(JSON.parse(m.data) as FleetyardEvent),
    });
    this.pump = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        this.fail(new Error('event stream ended'));
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
    })();
    await Promise.race([ready, this.pump.then(() => Promise.reject(this.failure))]);
  }

  private accept(event: FleetyardEvent): void {
    const arrival = { event, atMs: nowMs() };
    this.typeCounts.set(event.type, (this.typeCounts.get(event.type) ?? 0) + 1);
    const key = keyOf(event.objectId, event.type);
    this.arrivals.set(key, arrival);
    for (const w of this.waiters.get(key) ?? []) {
      clearTimeout(w.timer);
      w.resolve(arrival);
    }
    this.waiters.delete(key);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = this.abort.signal.aborted ? new Error('event stream closed') : e;
    for (const list of this.waiters.values()) {
      for (const w of list) {
        clearTimeout(w.timer);
        w.reject(this.failure);
      }
    }
    this.waiters.clear();
  }

  /** The arrival of `type` for `objectId`: at once if already seen, else when it comes. */
  waitFor(objectId: string, type: string, timeoutMs: number): Promise<Arrival> {
    const key = keyOf(objectId, type);
    const seen = this.arrivals.get(key);
    if (seen) return Promise.resolve(seen);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Arrival>((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(key) ?? [];
        this.waiters.set(key, list.filter((w) => w.timer !== timer));
        reject(new Error(`no ${type} for ${objectId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const list = this.waiters.get(key) ?? [];
      list.push({ resolve, reject, timer });
      this.waiters.set(key, list);
    });
  }

  /** An arrival already seen, if any (for phase breakdowns after the fact). */
  seen(objectId: string, type: string): Arrival | undefined {
    return this.arrivals.get(keyOf(objectId, type));
  }

  /** Rejects every pending wait at once (deadline or Ctrl-C). */
  cancelAll(reason: string): void {
    this.fail(new Error(reason));
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.pump?.catch(() => undefined);
  }
}

function keyOf(objectId: string, type: string): string {
  return `${objectId} ${type}`;
}
