import { INITIAL_REQUEST_STATUS, type CloudRequest, type RequestState } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import { freshMeta, type Virtualization } from '../domain/meta.ts';
import type { Product, Size } from '../domain/product.ts';
import type { User } from '../domain/user.ts';
import type { Repos, Store } from '../store/store.ts';
import type { BillingPort, Quote } from './ports.ts';
import type { QuotaCheck, QuotaService } from './quota-service.ts';
import { tenantOf } from './tenant-networks.ts';

/** What a user orders: a product in a size, a quantity, a window. */
export interface Order {
  productId: string;
  size: string;
  quantity?: number | undefined;
  startAt: string;
  endAt: string;
  virtualization?: Virtualization | undefined;
  ha?: boolean | undefined;
}

export interface PricedOrder {
  product: Product;
  size: Size;
  virtualization: Virtualization;
  quantity: number;
  quote: Quote;
  totalCcu: number;
  quota: QuotaCheck;
}

const HOUR_MS = 3_600_000;
/** States in which a request still holds or will hold something, so a cancel has work to do. */
export const LIVE: ReadonlySet<RequestState> = new Set(['new', 'approved', 'provisioning', 'active', 'paused']);
/** Times are stored in one form (UTC, milliseconds) whatever offset the client used. */
const utc = (t: string): string => new Date(t).toISOString();

/**
 * The one path by which a cloud request is made, whoever orders it (the request routes, a
 * stack): the order is checked against its product, priced, checked against the owner's quota
 * and inserted in state `new` with its event; the request reconciler decides the rest.
 */
export class RequestOrders {
  constructor(
    private readonly store: Store,
    private readonly billing: BillingPort,
    private readonly quotas: QuotaService,
  ) {}

  /**
   * Checks an order against its product, prices it and checks the owner's quota. Never inside a
   * transaction: the price list is read from the store (see ARCHITECTURE.md, invariant 8).
   */
  async price(user: User, o: Order, excludeId?: string): Promise<PricedOrder> {
    const read = this.store.read;
    const product = await read.products.get(o.productId);
    if (!product || !product.spec.enabled) throw new FleetyardError('FY_NOT_FOUND', `product ${o.productId} does not exist`, { kind: 'product', id: o.productId });
    const size = product.spec.sizes.find((s) => s.name === o.size);
    if (!size) throw new FleetyardError('FY_VALIDATION', `product ${product.name} has no size ${o.size}`, { sizes: product.spec.sizes.map((s) => s.name) });
    const virtualization = o.virtualization ?? (product.spec.virtualizations[0] as Virtualization);
    if (!product.spec.virtualizations.includes(virtualization)) {
      throw new FleetyardError('FY_NOT_OFFERED', `product ${product.name} is not offered as ${virtualization}`, { field: 'virtualization', offered: product.spec.virtualizations });
    }
    if (o.ha && !product.spec.haAllowed) throw new FleetyardError('FY_NOT_OFFERED', `product ${product.name} does not offer HA`, { field: 'ha' });
    // Whose private network the appliances will join must be known now, not at provisioning.
    tenantOf(user, product);
    const now = this.store.clock.now();
    const start = Date.parse(o.startAt);
    const end = Date.parse(o.endAt);
    if (end <= start) throw new FleetyardError('FY_VALIDATION', 'endAt must be after startAt');
    if (end <= now.getTime()) throw new FleetyardError('FY_VALIDATION', 'the window is already over');
    const quantity = o.quantity ?? 1;
    const quote = await this.billing.quote(size, virtualization, o.ha ?? false, quantity, product.spec.configGroups);
    const hours = (end - Math.max(start, now.getTime())) / HOUR_MS;
    const totalCcu = (quote.ccuPerHourMilli / 1000) * hours;
    const quota = await this.quotas.check(read, user, { size, quantity, totalCcu }, now, excludeId);
    return { product, size, virtualization, quantity, quote, totalCcu, quota };
  }

  /**
   * Inserts a priced order with its event in `tx`, after checking the quota again through `tx`
   * (so several orders in one transaction count each other, and a race cannot slip past it).
   */
  async submit(tx: Repos, owner: User, o: Order, p: PricedOrder): Promise<CloudRequest> {
    const quota = await this.quotas.check(tx, owner, { size: p.size, quantity: p.quantity, totalCcu: p.totalCcu }, this.store.clock.now());
    if (quota.breach) throw new FleetyardError('FY_QUOTA_EXCEEDED', quota.breach, { breach: quota.breach });
    const id = this.store.ids.next();
    const r: CloudRequest = {
      ...freshMeta(id, `req-${id.slice(-12)}`, this.store.clock.now()),
      spec: {
        ownerId: owner.id,
        productId: p.product.id,
        size: p.size.name,
        quantity: p.quantity,
        virtualization: p.virtualization,
        ha: o.ha ?? false,
        startAt: utc(o.startAt),
        endAt: utc(o.endAt),
        decision: null,
        paused: false,
        cancelled: false,
      },
      status: { ...INITIAL_REQUEST_STATUS, ccuPerHour: p.quote.ccuPerHourMilli / 1000 },
    };
    await tx.requests.insert(r);
    await tx.emit({ type: 'request.submitted', kind: 'request', objectId: id, ownerId: owner.id, message: `request ${r.name} submitted by ${owner.name}`, data: { ownerId: owner.id } });
    return r;
  }

  /**
   * Asks for a live request to end (what POST …/cancel does): the reconciler de-provisions it.
   * Returns false when it had ended, or was being ended, already.
   */
  async cancelIn(tx: Repos, id: string, why: string): Promise<boolean> {
    const cur = await tx.requests.get(id);
    if (!cur || cur.spec.cancelled || !LIVE.has(cur.status.state)) return false;
    await tx.requests.update({ ...cur, spec: { ...cur.spec, cancelled: true } }, this.store.clock.now(), true);
    await tx.emit({ type: 'request.cancel-requested', kind: 'request', objectId: id, ownerId: cur.spec.ownerId, message: why, data: {} });
    return true;
  }
}
