import type { Appliance } from '../../src/domain/appliance.ts';

/** A tiny JSON client for tests that talk to a control plane over its real socket. */
export class TestApi {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Waits until every appliance satisfies `done`; throws with the laggards after the deadline. */
  async waitAppliances(ids: string[], done: (a: Appliance | undefined) => boolean, what: string, deadlineMs = 60_000): Promise<void> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const states = await Promise.all(
        ids.map(async (id) => {
          const r = await this.call<Appliance>('GET', `/api/v1/appliances/${id}`);
          return { id, a: r.status === 404 ? undefined : r.body };
        }),
      );
      const pending = states.filter((s) => !done(s.a));
      if (pending.length === 0) return;
      if (Date.now() > end) {
        const show = pending.slice(0, 5).map((s) => `${s.id}: ${s.a ? `${s.a.status.phase} ${s.a.status.message ?? ''}` : 'gone'}`);
        throw new Error(`gave up waiting for ${what}; ${pending.length} not there: ${show.join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Asks for a move (POST …/move) and waits until that move has ended, running or failed. */
  async moveAppliance(id: string, to: string, deadlineMs = 180_000): Promise<Appliance> {
    const asked = await this.ok<Appliance>('POST', `/api/v1/appliances/${id}/move`, { to });
    const moveId = asked.spec.move?.id;
    if (!moveId) throw new Error(`the move of ${id} to ${to} was not recorded`);
    let done: Appliance | undefined;
    await this.waitAppliances([id], (a) => {
      if (a?.status.lastMove?.id === moveId && (a.status.phase === 'running' || a.status.phase === 'failed')) done = a;
      return done !== undefined;
    }, `the move to ${to}`, deadlineMs);
    return done as Appliance;
  }
}
