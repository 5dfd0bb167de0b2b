import { TERMINAL_STATES, type CloudRequest } from '../domain/cloud-request.ts';
import type { Product, Size } from '../domain/product.ts';
import { headroom, quotaBreach, UNLIMITED, type QuotaHeadroom, type QuotaUsage } from '../domain/quota.ts';
import type { User } from '../domain/user.ts';
import type { Repos } from '../store/store.ts';
import type { BillingPort } from './ports.ts';

export interface QuotaCheck {
  user: QuotaHeadroom;
  group: QuotaHeadroom | null;
  breach: string | null;
}

/** Some units of one size and what they cost over their window. */
export interface QuotaAsk {
  size: Size;
  quantity: number;
  totalCcu: number;
}

const MILLI = 1000;

/**
 * Quotas per user and per group. Usage counts every request that holds or was promised capacity
 * (new, approved, provisioning, active, paused, deprovisioning) and this month's CCU spend.
 */
export class QuotaService {
  constructor(private readonly billing: BillingPort) {}

  /** The owners' live requests, read by owner (an indexed column): never anyone else's rows. */
  private async holding(tx: Repos, owners: Set<string>): Promise<CloudRequest[]> {
    const out: CloudRequest[] = [];
    for (const ownerId of owners) out.push(...(await tx.requests.all({ ownerId })));
    return out.filter((r) => !TERMINAL_STATES.has(r.status.state) && !r.spec.cancelled);
  }

  private async usage(tx: Repos, owners: Set<string>, now: Date, exclude: ReadonlySet<string>): Promise<QuotaUsage> {
    const products = new Map<string, Product>();
    const used: QuotaUsage = { appliances: 0, cpu: 0, memoryMiB: 0, diskMiB: 0, ccuPerMonth: 0 };
    for (const r of await this.holding(tx, owners)) {
      if (exclude.has(r.id)) continue;
      let p = products.get(r.spec.productId);
      if (!p) {
        p = await tx.products.get(r.spec.productId);
        if (p) products.set(p.id, p);
      }
      const size = p?.spec.sizes.find((s) => s.name === r.spec.size);
      if (!size) continue;
      used.appliances += r.spec.quantity;
      used.cpu += size.cpu * r.spec.quantity;
      used.memoryMiB += size.memoryMiB * r.spec.quantity;
      used.diskMiB += size.diskMiB * r.spec.quantity;
    }
    for (const owner of owners) used.ccuPerMonth += (await this.billing.monthSpendMilli(tx, owner, now)) / MILLI;
    return used;
  }

  /** What a user (or a group's members together) hold or were promised now, as a quota counts it. */
  async used(tx: Repos, subject: 'user' | 'group', id: string, now: Date): Promise<QuotaUsage> {
    const owners = subject === 'user' ? new Set([id]) : new Set((await tx.users.all({ groupId: id })).map((u) => u.id));
    return this.usage(tx, owners, now, new Set());
  }

  /** Headroom for `user` (and their group) and whether `ask` fits in both. */
  async check(tx: Repos, user: User, ask: QuotaAsk, now: Date, excludeId?: string): Promise<QuotaCheck> {
    return this.checkAll(tx, user, [ask], now, new Set(excludeId === undefined ? [] : [excludeId]));
  }

  /**
   * Whether several asks fit together (a stack's new instances), leaving out the requests in
   * `exclude` (those the same change ends, or the request being re-checked itself).
   */
  async checkAll(tx: Repos, user: User, asks: readonly QuotaAsk[], now: Date, exclude: ReadonlySet<string>): Promise<QuotaCheck> {
    const want: QuotaUsage = { appliances: 0, cpu: 0, memoryMiB: 0, diskMiB: 0, ccuPerMonth: 0 };
    for (const ask of asks) {
      want.appliances += ask.quantity;
      want.cpu += ask.size.cpu * ask.quantity;
      want.memoryMiB += ask.size.memoryMiB * ask.quantity;
      want.diskMiB += ask.size.diskMiB * ask.quantity;
      want.ccuPerMonth += ask.totalCcu;
    }
    const userRoom = headroom((await tx.cloud.quota('user', user.id)) ?? UNLIMITED, await this.usage(tx, new Set([user.id]), now, exclude));
    let groupRoom: QuotaHeadroom | null = null;
    if (user.spec.groupId) {
      const limits = await tx.cloud.quota('group', user.spec.groupId);
      if (limits) {
        const members = (await tx.users.all({ groupId: user.spec.groupId })).map((u) => u.id);
        groupRoom = headroom(limits, await this.usage(tx, new Set(members), now, exclude));
      }
    }
    const breach = quotaBreach(userRoom, want) ?? (groupRoom ? quotaBreach(groupRoom, want) : null);
    return { user: userRoom, group: groupRoom, breach: breach && `quota exceeded: ${breach}` };
  }
}
