import { createParser } from 'eventsource-parser';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import { eventually } from './eventually.ts';

/**
 * A live `GET /api/v1/events/stream` as a browser's EventSource would read it, over the real
 * socket: every message is kept (its SSE id and event name, and the event it carries), and so is
 * the raw text, for checks on what the stream showed at all. An accepted stream is returned once
 * the server said it is connected, so whatever happens afterwards reaches it live. `close()` ends
 * it; call it in `t.after` so a failing test leaves no connection open.
 */
export interface OpenedEventStream {
  /** The HTTP status; a refused stream's error body is in `text`. */
  status: number;
  /** Every event received so far, in order. */
  events: FleetyardEvent[];
  /** The SSE id and event name of each message, as sent. */
  messages: Array<{ id: string | undefined; event: string | undefined }>;
  /** Everything received, as text. */
  text(): string;
  /** Waits until an event satisfies `done`; the deadline only turns a hang into a failure. */
  until(done: (e: FleetyardEvent) => boolean, what: string, ms?: number): Promise<FleetyardEvent>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>, path = '/api/v1/events/stream'): Promise<OpenedEventStream> {
  const abort = new AbortController();
  const res = await fetch(url + path, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: FleetyardEvent[] = [];
  const messages: OpenedEventStream['messages'] = [];
  let raw = '';
  let failure: unknown;
  const parser = createParser({
    onEvent: (m) => {
      messages.push({ id: m.id, event: m.event });
      events.push(JSON.parse(m.data) as FleetyardEvent);
    },
  });
  if (res.status !== 200 || !res.body) {
    raw = await res.text();
  } else {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const pump = async (): Promise<void> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        raw += value;
        parser.feed(value);
      }
    };
    pump().catch((e: unknown) => {
      if (!abort.signal.aborted) failure = e;
    });
    try {
      await eventually(() => {
        if (failure) throw failure;
        return raw.startsWith(': connected');
      }, `the stream ${path} connected`, 15_000, 5);
    } catch (e) {
      abort.abort();
      throw e;
    }
  }
  return {
    status: res.status,
    events,
    messages,
    text: () => raw,
    async until(done, what, ms = 30_000) {
      await eventually(() => {
        if (failure) throw failure;
        return events.some(done);
      }, what, ms, 10);
      return events.find(done) as FleetyardEvent;
    },
    close: () => abort.abort(),
  };
}
