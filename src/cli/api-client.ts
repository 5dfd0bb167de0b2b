import { Readable } from 'node:stream';
import { isId } from '../domain/ids.ts';
import { CliError, nameNotFound, usageError } from './cli-error.ts';
import { EXIT, exitCodeForServerError } from './exit-codes.ts';

/**
 * The CLI's only way to Fleetyard: the public HTTP API. The CLI never opens the database, so
 * whatever it can do, any other API client can do too.
 */

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** How long an ordinary request may take before the server counts as unreachable. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** The largest page the list routes hand out. */
const MAX_PAGE = 1000;

/** A page of a list endpoint, as every list route returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A file-like body sent as it is, streamed (instead of `body` as JSON). */
  upload?: Upload;
  headers?: Record<string, string>;
  /** 0 disables the timeout (used for streams that stay open). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A streamed request body: the bytes, their media type and, when known, their length. */
export interface Upload {
  stream: Readable;
  contentType: string;
  length?: number | undefined;
}

/** An error response of the API: `{ error: { code, message, details? } }`. */
export class ApiError extends CliError {
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, status: number, details?: Record<string, unknown>) {
    super(code, message, exitCodeForServerError(code, status));
    this.name = 'ApiError';
    this.status = status;
    this.details = details;
  }
}

/** Picks the API URL: the `--api` flag, then FLEETYARD_API, then the local default. */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag ?? env.FLEETYARD_API ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`"${raw}" is not a URL (expected something like ${DEFAULT_API_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`"${raw}" is not an http(s) URL`);
  return url.href.replace(/\/+$/, '');
}

/** The collections a name can be resolved in, with the word used for them in messages. */
export type Collection = 'images' | 'appliances' | 'resources' | 'users' | 'groups' | 'products' | 'networks' | 'config-groups';
const KIND_OF: Record<Collection, string> = {
  images: 'image',
  appliances: 'appliance',
  resources: 'resource',
  users: 'user',
  groups: 'group',
  products: 'product',
  networks: 'network',
  'config-groups': 'configuration group',
};

export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;

  constructor(baseUrl: string, token?: string) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Sends a request and returns the response once it is known to be a success. */
  async open(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, opts.query);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signals = [opts.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.upload) {
      headers['content-type'] = opts.upload.contentType;
      if (opts.upload.length !== undefined) headers['content-length'] = String(opts.upload.length);
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.upload
          ? (Readable.toWeb(opts.upload.stream) as ReadableStream<Uint8Array>)
          : opts.body === undefined
            ? undefined
            : JSON.stringify(opts.body),
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
        // A streamed body is sent while the answer may already arrive (an early refusal).
        ...(opts.upload ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw unreachable(this.baseUrl, e, timeoutMs);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  /** A JSON request; undefined for a body-less answer (204). */
  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.open(method, path, opts);
    const text = await res.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError('CLI_BAD_RESPONSE', `${method} ${path}: the server sent invalid JSON`, EXIT.FAILURE);
    }
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, { query });
  }

  post<T>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.json<T>('POST', path, { ...opts, body });
  }

  /** Sends a file as the streamed body of `method path`; no timeout (it lasts as long as the file). */
  send<T>(method: 'PUT' | 'POST', path: string, upload: Upload): Promise<T> {
    return this.json<T>(method, path, { upload, timeoutMs: 0 });
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  async text(path: string, query?: Query): Promise<string> {
    const res = await this.open('GET', path, { query, headers: { accept: 'text/plain' } });
    return res.text();
  }

  /**
   * Every item of a list endpoint, following `nextCursor` until it is null or `max` items are
   * in hand. `cursorParam` names the query parameter the cursor goes back in (the event log
   * pages by `afterSeq`).
   */
  async list<T>(path: string, query: Query = {}, max = Infinity, cursorParam = 'cursor'): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const limit = Math.min(MAX_PAGE, max - items.length);
      const page: Page<T> = await this.get<Page<T>>(path, { ...query, limit, ...(cursor ? { [cursorParam]: cursor } : {}) });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && items.length < max);
    return items.slice(0, max);
  }

  /**
   * The pages of a list endpoint one at a time, `pageSize` items each, following `nextCursor`,
   * so a caller can print each page as it arrives instead of holding them all.
   */
  async *pages<T>(path: string, query: Query = {}, pageSize = MAX_PAGE): AsyncGenerator<Page<T>> {
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.get<Page<T>>(path, { ...query, limit: Math.min(pageSize, MAX_PAGE), ...(cursor ? { cursor } : {}) });
      yield page;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /**
   * The ID of an object named by ID or by name. A value shaped like an ID is tried as one first,
   * then as a name, because a name may happen to look like an ID.
   */
  async resolveId(collection: Collection, idOrName: string): Promise<string> {
    if (isId(idOrName)) {
      try {
        await this.get(`/api/v1/${collection}/${idOrName}`);
        return idOrName;
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    }
    const page = await this.get<Page<{ id: string }>>(`/api/v1/${collection}`, { name: idOrName, limit: 1 });
    const found = page.items[0];
    if (!found) throw nameNotFound(KIND_OF[collection], idOrName);
    return found.id;
  }

  private url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }
}

function unreachable(baseUrl: string, e: unknown, timeoutMs: number): CliError {
  const err = e as { name?: string; cause?: { code?: string; message?: string } };
  const why =
    err.name === 'TimeoutError'
      ? `no answer within ${Math.round(timeoutMs / 1000)}s`
      : (err.cause?.code ?? err.cause?.message ?? String(e));
  return new CliError('CLI_UNREACHABLE', `cannot reach the Fleetyard API at ${baseUrl} (${why})`, EXIT.UNREACHABLE);
}

/** Turns an error response into an ApiError, keeping the server's code when it sent one. */
async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const { code, message, details } = body.error ?? {};
    if (typeof code === 'string') {
      return new ApiError(
        code,
        typeof message === 'string' ? message : `HTTP ${res.status}`,
        res.status,
        details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined,
      );
    }
  } catch {
    // Not JSON: a proxy or a server that is not Fleetyard answered; report what we got.
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiError(
    'CLI_BAD_RESPONSE',
    `HTTP ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ''}`,
    res.status,
  );
}
