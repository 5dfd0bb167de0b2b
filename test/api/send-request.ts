import http from 'node:http';
import net from 'node:net';
import type { FastifyInstance, InjectOptions } from 'fastify';

/**
 * Three ways to put a request in front of the API, all to 127.0.0.1 only:
 * - `http`: node:http with a raw path (so `%FF` reaches the server as written) and any header;
 * - `raw`: bytes written on a TCP socket, for what node:http refuses to send (bytes ≥ 0x80 in
 *   the request line, method tokens the server's parser rejects);
 * - `inject`: Fastify's in-process injection, no socket.
 * Each gives back the status, the content type and the body bytes. The deadline only turns a hang
 * into a failure that names the request; it is not a timing assertion.
 */
export interface TestRequest {
  transport: 'http' | 'raw' | 'inject';
  method: string;
  /** As sent on the request line: percent-escapes are not decoded or re-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
  /** For `raw`: extra bytes spliced into the request line's path. */
  rawPath?: Buffer | undefined;
}

export interface TestResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const DEADLINE_MS = 30_000;

export function sendRequest(app: FastifyInstance, baseUrl: string, req: TestRequest, agent: http.Agent): Promise<TestResponse> {
  const { hostname, port } = new URL(baseUrl);
  if (hostname !== '127.0.0.1') throw new Error(`refusing to send test traffic to ${hostname}`);
  switch (req.transport) {
    case 'inject':
      return viaInject(app, req);
    case 'http':
      return viaHttp(Number(port), req, agent);
    case 'raw':
      return viaSocket(Number(port), req);
  }
}

async function viaInject(app: FastifyInstance, req: TestRequest): Promise<TestResponse> {
  const res = await app.inject({
    method: req.method as InjectOptions['method'],
    url: req.path,
    headers: req.headers,
    ...(req.body === undefined ? {} : { payload: req.body }),
  });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.rawPayload };
}

function viaHttp(port: number, req: TestRequest, agent: http.Agent): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.setTimeout(DEADLINE_MS, () => r.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

function viaSocket(port: number, req: TestRequest): Promise<TestResponse> {
  const head = Buffer.concat([
    Buffer.from(`${req.method} ${req.path}`, 'latin1'),
    req.rawPath ?? Buffer.alloc(0),
    Buffer.from(
      ` HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        Object.entries(req.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
        (req.body ? `Content-Length: ${req.body.length}\r\n` : '') +
        '\r\n',
      'latin1',
    ),
  ]);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(req.body ? Buffer.concat([head, req.body]) : head));
    const chunks: Buffer[] = [];
    socket.setTimeout(DEADLINE_MS, () => socket.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e) => (chunks.length > 0 ? settle() : reject(e)));
    socket.on('close', () => settle());
    let settled = false;
    function settle(): void {
      if (settled) return;
      settled = true;
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    }
  });
}

/** Reads one HTTP/1.1 response with a Content-Length body (what the API and its parser send). */
function parseResponse(raw: Buffer): TestResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete response; got ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers.get('content-length') ?? raw.length - end - 4);
  return { status, contentType: headers.get('content-type') ?? '', body: raw.subarray(end + 4, end + 4 + length) };
}
