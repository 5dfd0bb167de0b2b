import type { Middleware } from 'openapi-fetch';
import { api } from '../api/client.ts';

/**
 * What a component sent to the API, and the server's answers to it, for component tests: the
 * real typed client with its session middleware runs, and the request it would put on the wire
 * is recorded and answered here instead of by a server (the browser tests use a real one).
 */
export interface RecordedCall {
  method: string;
  path: string;
  query: string;
  headers: Headers;
  body: unknown;
}

export type Answer = { status: number; body?: unknown };

export function recordApi(answer: (call: RecordedCall) => Answer): { calls: RecordedCall[]; stop: () => void } {
  const calls: RecordedCall[] = [];
  const middleware: Middleware = {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const text = await request.clone().text();
      const call: RecordedCall = { method: request.method, path: url.pathname, query: url.search, headers: request.headers, body: text ? JSON.parse(text) : undefined };
      calls.push(call);
      const a = answer(call);
      return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
    },
  };
  api.use(middleware);
  return { calls, stop: () => api.eject(middleware) };
}

/**
 * XMLHttpRequest as the uploads use it (web/src/api/upload.ts), recording each request; a test
 * moves it along with `progress` and `respond`. Install with `vi.stubGlobal('XMLHttpRequest', …)`.
 */
export class RecordedXhr {
  static sent: RecordedXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }

  send(body: unknown): void {
    this.body = body;
    RecordedXhr.sent.push(this);
  }

  abort(): void {
    this.onabort?.();
  }

  progress(loaded: number, total: number): void {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }

  respond(status: number, body: unknown): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}
