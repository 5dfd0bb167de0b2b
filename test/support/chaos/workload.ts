import type { Appliance } from '../../../src/domain/appliance.ts';
import type { CloudRequest } from '../../../src/domain/cloud-request.ts';
import type { TestApi } from '../api.ts';

/**
 * The soak's operations and what each acknowledged one promises. An operation that got a 2xx
 * answer is acknowledged: its effect must be there at the end (unless a later acknowledged one
 * undid it). One that got no answer (the server was killed under it) may or may not have
 * happened; the object it touched is then only held to the invariants (it converges to its own
 * spec, exists once, leaks nothing).
 */
export type OpKind = 'create' | 'stop' | 'start' | 'move' | 'delete' | 'order' | 'cancel';

export interface Expectation {
  /** What the last acknowledged operation asked for; undefined while nothing was acknowledged. */
  want: 'running' | 'stopped' | 'deleted' | undefined;
  virtualization: 'container' | 'sim' | undefined;
  /** An operation on it went unanswered after the last acknowledged one. */
  uncertain: boolean;
}

export interface RequestExpectation {
  want: 'live' | 'cancelled' | undefined;
  uncertain: boolean;
}

export interface Tally {
  operations: number;
  acknowledged: number;
  unanswered: number;
  refused: number;
  byKind: Record<OpKind, number>;
}

/** A tiny seeded generator, so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export class Workload {
  readonly appliances = new Map<string, Expectation>();
  readonly requests = new Map<string, RequestExpectation>();
  readonly tally: Tally = { operations: 0, acknowledged: 0, unanswered: 0, refused: 0, byKind: { create: 0, stop: 0, start: 0, move: 0, delete: 0, order: 0, cancel: 0 } };
  private names = 0;

  constructor(
    private readonly admin: () => TestApi,
    private readonly user: () => TestApi,
    private readonly ids: { imageId: string; productId: string },
    private readonly random: () => number,
    private readonly maxAppliances = 6,
  ) {}

  private pick<T>(items: T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  /** One random operation; never throws for a killed server (that is what it is for). */
  async step(): Promise<void> {
    const live = [...this.appliances].filter(([, e]) => e.want !== 'deleted').map(([id]) => id);
    const liveRequests = [...this.requests].filter(([, e]) => e.want === 'live').map(([id]) => id);
    const kinds: OpKind[] = ['stop', 'start', 'move', 'delete', 'cancel'];
    if (live.length < this.maxAppliances) kinds.push('create', 'create');
    if (liveRequests.length < 2) kinds.push('order');
    const kind = this.pick(kinds) as OpKind;
    this.tally.operations++;
    this.tally.byKind[kind]++;
    if (kind === 'create') {
      const r = await this.send(() => this.admin().call<Appliance>('POST', '/api/v1/appliances', { name: `soak-${this.names++}`, imageId: this.ids.imageId }));
      if (r?.status === 201) this.appliances.set(r.body.id, { want: 'running', virtualization: undefined, uncertain: false });
      // An unanswered create may exist under its name: it is found at the end by listing.
      return;
    }
    if (kind === 'order' || kind === 'cancel') return this.cloud(kind, liveRequests);
    const id = this.pick(live);
    if (!id) return;
    const e = this.appliances.get(id) as Expectation;
    const to = e.virtualization === 'sim' ? 'container' : 'sim';
    const call =
      kind === 'delete'
        ? () => this.admin().call('DELETE', `/api/v1/appliances/${id}`)
        : kind === 'move'
          ? () => this.admin().call('POST', `/api/v1/appliances/${id}/move`, { to })
          : () => this.admin().call('POST', `/api/v1/appliances/${id}/${kind}`);
    const r = await this.send(call);
    if (r === undefined || r.status >= 500) e.uncertain = true;
    else if (r.status >= 200 && r.status < 300) {
      e.uncertain = false;
      if (kind === 'delete') e.want = 'deleted';
      else if (kind === 'move') e.virtualization = to;
      else e.want = kind === 'start' ? 'running' : 'stopped';
    }
  }

  private async cloud(kind: 'order' | 'cancel', live: string[]): Promise<void> {
    if (kind === 'order') {
      const now = Date.now();
      const r = await this.send(() =>
        this.user().call<CloudRequest>('POST', '/api/v1/cloud/requests', {
          productId: this.ids.productId,
          size: 's',
          startAt: new Date(now).toISOString(),
          endAt: new Date(now + 3_600_000).toISOString(),
        }),
      );
      if (r?.status === 201) this.requests.set(r.body.id, { want: 'live', uncertain: false });
      return;
    }
    const id = this.pick(live);
    if (!id) return;
    const e = this.requests.get(id) as RequestExpectation;
    const r = await this.send(() => this.user().call('POST', `/api/v1/cloud/requests/${id}/cancel`, {}));
    if (r === undefined || r.status >= 500) e.uncertain = true;
    else if (r.status >= 200 && r.status < 300) {
      e.uncertain = false;
      e.want = 'cancelled';
    }
  }

  /** The answer, or undefined when the server did not answer (killed, or being restarted). */
  private async send<T>(call: () => Promise<{ status: number; body: T }>): Promise<{ status: number; body: T } | undefined> {
    try {
      const r = await call();
      if (r.status >= 200 && r.status < 300) this.tally.acknowledged++;
      else this.tally.refused++;
      return r;
    } catch {
      this.tally.unanswered++;
      return undefined;
    }
  }
}
