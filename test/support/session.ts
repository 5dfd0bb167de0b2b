/**
 * A web-UI style client: logs in with a password, keeps the session cookie and sends the CSRF
 * token with every change, as the browser UI does.
 */
export class SessionClient {
  private cookie = '';
  private csrf = '';

  constructor(readonly url: string) {}

  async login(name: string, password: string): Promise<void> {
    const res = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && opts.csrf !== false) headers['x-csrf-token'] = this.csrf;
    const res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async text(path: string): Promise<string> {
    const res = await fetch(this.url + path, { headers: { cookie: this.cookie } });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    return res.text();
  }

  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

/** An API token of the user, made the way a person makes one: log in, then create it in the session. */
export async function tokenFor(url: string, name: string, password: string): Promise<string> {
  const s = new SessionClient(url);
  await s.login(name, password);
  return (await s.ok<{ token: string }>('POST', '/api/v1/tokens', { name: `${name}-cli` })).token;
}
