import type { Appliance } from '../domain/appliance.ts';
import { REQUEST_LABEL, type CloudRequest } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Product, Size } from '../domain/product.ts';
import type { Repos } from '../store/store.ts';
import type { BillingPort } from './ports.ts';
import type { QuotaService } from './quota-service.ts';

const HOUR_MS = 3_600_000;

/**
 * What a cloud user may do to an appliance they own. Ownership alone is not enough: a user's
 * appliance exists because of a cloud request for a product, so what they may change is bounded by
 * that product (the virtualizations it offers), the request's state (a paused request's
 * appliances are not started behind its back, unmetered) and their quota (a move to a dearer
 * virtualization must still fit it). Admins are not bound by products; the meter follows what
 * they do all the same (see RequestReconciler, re-pricing after a move).
 */
export class ApplianceLimits {
  constructor(
    private readonly quotas: QuotaService,
    private readonly billing: BillingPort,
  ) {}

  /** The request, product and size behind an owned appliance; an appliance without one is not the user's to change. */
  private async origin(tx: Repos, a: Appliance): Promise<{ request: CloudRequest; product: Product; size: Size }> {
    const requestId = a.spec.labels[REQUEST_LABEL];
    const request = requestId ? await tx.requests.get(requestId) : undefined;
    const product = request ? await tx.products.get(request.spec.productId) : undefined;
    const size = product?.spec.sizes.find((s) => s.name === request?.spec.size);
    if (!request || !product || !size) {
      throw new FleetyardError('FY_NOT_OFFERED', `appliance ${a.name} is not part of a cloud request; an admin manages it`, { field: 'id' });
    }
    return { request, product, size };
  }

  async mayStart(tx: Repos, a: Appliance): Promise<void> {
    const { request } = await this.origin(tx, a);
    if (request.status.state !== 'active' && request.status.state !== 'provisioning') {
      throw new FleetyardError('FY_REQUEST_STATE', `request ${request.name} is ${request.status.state}: ${request.status.state === 'paused' ? 'resume it' : 'its appliances run only while it is active'}`, {
        state: request.status.state,
      });
    }
  }

  async mayMove(tx: Repos, a: Appliance, to: Virtualization, now: Date): Promise<void> {
    const { request, product, size } = await this.origin(tx, a);
    if (!product.spec.virtualizations.includes(to)) {
      throw new FleetyardError('FY_NOT_OFFERED', `product ${product.name} is not offered as ${to}`, { field: 'to', offered: product.spec.virtualizations });
    }
    // The request at its new price for the rest of its window must still fit the quota, as a new
    // order would (this request's own appliances counted once).
    const owner = await tx.users.require(request.spec.ownerId);
    const quote = await this.billing.quote(size, to, request.spec.ha, request.spec.quantity, product.spec.configGroups);
    const hours = Math.max(0, Date.parse(request.spec.endAt) - Math.max(Date.parse(request.spec.startAt), now.getTime())) / HOUR_MS;
    const check = await this.quotas.check(tx, owner, { size, quantity: request.spec.quantity, totalCcu: (quote.ccuPerHourMilli / 1000) * hours }, now, request.id);
    if (check.breach) throw new FleetyardError('FY_QUOTA_EXCEEDED', `moving to ${to}: ${check.breach}`, { breach: check.breach });
  }
}
