import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { inBackground } from '../api/background.ts';
import { reportSessionEnded } from '../api/client.ts';
import { goneQueryKey, staleQueryRoots, type LiveEvent } from './stale-queries.ts';

export type { LiveEvent } from './stale-queries.ts';

type Listener = (e: LiveEvent) => void;

/**
 * The one live connection of the app: the server's event stream (SSE, GET /api/v1/events/stream,
 * read with fetch so a 401 ends the session), which carries only what the signed-in user may see. Each event marks the queries it
 * makes stale (stale-queries.ts), so lists and details refetch once, when something changed —
 * nothing polls. It reconnects by itself and resumes after Last-Event-ID; after a reconnect
 * every query is refetched once, so nothing shown is older than the connection.
 */
class LiveStream {
  private abort: AbortController | undefined;
  private readonly listeners = new Set<Listener>();
  private recent: LiveEvent[] = [];
  private readonly recentListeners = new Set<() => void>();
  private pendingRoots = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private hadError = false;
  connected = false;
  private readonly connectedListeners = new Set<() => void>();

  constructor(private readonly queryClient: QueryClient) {}

  open(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    inBackground(this.run(abort.signal), 'the event stream');
  }

  close(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.setConnected(false);
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  /** Reads the stream until closed, reconnecting with a growing pause (0.5 s up to 10 s). */
  private async run(signal: AbortSignal): Promise<void> {
    let lastId: string | undefined;
    let pause = 500;
    while (!signal.aborted) {
      try {
        const res = await fetch('/api/v1/events/stream', {
          headers: { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
          credentials: 'same-origin',
          signal,
        });
        if (res.status === 401) {
          reportSessionEnded();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
        this.setConnected(true);
        if (this.hadError) inBackground(this.queryClient.invalidateQueries(), 'refreshing after a reconnect');
        this.hadError = false;
        pause = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (value.id) lastId = value.id;
          this.receive(value.data);
        }
      } catch {
        if (signal.aborted) return;
      }
      this.hadError = true;
      this.setConnected(false);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 10_000);
    }
  }

  private receive(data: string): void {
    let e: LiveEvent;
    try {
      e = JSON.parse(data) as LiveEvent;
    } catch {
      return;
    }
    this.recent = [e, ...this.recent].slice(0, 100);
    for (const l of this.recentListeners) l();
    for (const l of this.listeners) l(e);
    const gone = goneQueryKey(e);
    if (gone) this.queryClient.removeQueries({ queryKey: gone });
    for (const root of staleQueryRoots(e)) this.pendingRoots.add(root);
    // A burst of events (a stack applying, a host's appliances moving) refetches once.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const roots = [...this.pendingRoots];
      this.pendingRoots.clear();
      for (const root of roots) inBackground(this.queryClient.invalidateQueries({ queryKey: [root] }), `refreshing ${root}`);
    }, 150);
  }

  private setConnected(c: boolean): void {
    if (this.connected === c) return;
    this.connected = c;
    for (const l of this.connectedListeners) l();
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  subscribeRecent = (l: () => void): (() => void) => {
    this.recentListeners.add(l);
    return () => this.recentListeners.delete(l);
  };

  recentEvents = (): LiveEvent[] => this.recent;

  subscribeConnected = (l: () => void): (() => void) => {
    this.connectedListeners.add(l);
    return () => this.connectedListeners.delete(l);
  };

  isConnected = (): boolean => this.connected;
}

const LiveContext = createContext<LiveStream | undefined>(undefined);

/** Opens the stream for the signed-in part of the app and closes it on sign-out. */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [stream] = useState(() => new LiveStream(queryClient));
  useEffect(() => {
    stream.open();
    return () => stream.close();
  }, [stream]);
  return <LiveContext.Provider value={stream}>{children}</LiveContext.Provider>;
}

function useStream(): LiveStream {
  const s = useContext(LiveContext);
  if (!s) throw new Error('live events outside LiveEventsProvider');
  return s;
}

/** The latest events (newest first), as they arrive. */
export function useRecentEvents(): LiveEvent[] {
  const s = useStream();
  return useSyncExternalStore(s.subscribeRecent, s.recentEvents);
}

export function useLiveConnected(): boolean {
  const s = useStream();
  return useSyncExternalStore(s.subscribeConnected, s.isConnected);
}

/** Calls `onEvent` for every live event that `filter` accepts (e.g. one appliance's). */
export function useLiveEvent(filter: (e: LiveEvent) => boolean, onEvent: (e: LiveEvent) => void): void {
  const s = useStream();
  const ref = useRef({ filter, onEvent });
  ref.current = { filter, onEvent };
  useEffect(() => s.subscribe((e) => {
    if (ref.current.filter(e)) ref.current.onEvent(e);
  }), [s]);
}
