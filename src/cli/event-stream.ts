import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { FleetyardEvent } from '../domain/event.ts';
import type { ApiClient, Query } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Follows `GET /api/v1/events/stream` (server-sent events). A dropped connection is resumed with
 * `Last-Event-ID`, so no event is skipped or repeated across reconnects; only a first connect that
 * fails, or a server gone for longer than `giveUpAfterMs`, ends the stream with an error.
 */
export interface StreamOptions {
  query?: Query;
  /** Resume after this sequence number (the SSE `id` the server sets is the event's `seq`). */
  lastEventId?: string;
  signal: AbortSignal;
  giveUpAfterMs?: number;
  onReconnect?: (reason: unknown) => void;
}

export async function* streamEvents(client: ApiClient, opts: StreamOptions): AsyncGenerator<FleetyardEvent> {
  let lastEventId = opts.lastEventId;
  let failingSince: number | null = null;
  let backoffMs = 250;
  let connectedOnce = false;
  while (!opts.signal.aborted) {
    try {
      const res = await client.open('GET', '/api/v1/events/stream', {
        query: opts.query,
        headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        timeoutMs: 0,
        signal: opts.signal,
      });
      connectedOnce = true;
      failingSince = null;
      backoffMs = 250;
      for await (const msg of messages(res, opts.signal)) {
        if (msg.id) lastEventId = msg.id;
        yield parseEvent(msg);
      }
    } catch (e) {
      if (opts.signal.aborted) return;
      const transient = (e instanceof CliError && e.exitCode === EXIT.UNREACHABLE) || isStreamDrop(e);
      if (!connectedOnce || !transient) throw e;
      failingSince ??= Date.now();
      if (Date.now() - failingSince > (opts.giveUpAfterMs ?? 30_000)) throw e;
      opts.onReconnect?.(e);
    }
    await sleep(backoffMs, opts.signal);
    backoffMs = Math.min(backoffMs * 2, 5_000);
  }
}

/** Yields the SSE messages of a response body until it ends. */
async function* messages(res: Response, signal: AbortSignal): AsyncGenerator<EventSourceMessage> {
  if (!res.body) return;
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (m) => queue.push(m) });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    cancel();
  }
}

function parseEvent(msg: EventSourceMessage): FleetyardEvent {
  try {
    return JSON.parse(msg.data) as FleetyardEvent;
  } catch {
    throw new CliError('CLI_BAD_RESPONSE', `the event stream sent invalid JSON: ${msg.data.slice(0, 100)}`, EXIT.FAILURE);
  }
}

/** A body that broke off mid-stream (server restart, proxy timeout): worth a reconnect. */
function isStreamDrop(e: unknown): boolean {
  return e instanceof TypeError || (e instanceof Error && e.name === 'AbortError') || (e as { code?: string }).code === 'ECONNRESET';
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
