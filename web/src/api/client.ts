import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed API client, generated from the server's /openapi.json (schema.d.ts). Same origin as
 * the console, so the session cookie goes along by itself; every change also carries the
 * session's CSRF token, and a 401 anywhere means the session is gone: the app goes back to the
 * sign-in page.
 */
let csrfToken: string | null = null;
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onSessionEnded(handler: () => void): void {
  onSignedOut = handler;
}

/** What a request made outside this client (an upload with progress) must carry for the session. */
export function sessionHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Something other than this client (the event stream) saw the session end. */
export function reportSessionEnded(): void {
  onSignedOut();
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const session: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/api/v1/auth/login')) onSignedOut();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? 'http://127.0.0.1' });
api.use(session);

/** An API error as the server reports it: a stable code (docs/errors.md) and a message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an answer, or an ApiError with the server's code and message. */
export function unwrap<T>(answer: Answer<T>): T {
  if (answer.error !== undefined || !answer.response.ok) {
    const body = answer.error as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
    throw new ApiError(
      answer.response.status,
      body?.error?.code ?? `HTTP_${answer.response.status}`,
      body?.error?.message ?? answer.response.statusText,
      body?.error?.details,
    );
  }
  return answer.data as T;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.message} (${e.code})`;
  return e instanceof Error ? e.message : String(e);
}
