import { balanceOf } from '../billing/balance.ts';
import { BillingRepo } from '../billing/billing-repo.ts';
import { closeMetersOfRequest, openMeter } from '../billing/meters.ts';
import type { BillingPort, Quote } from '../cloud/ports.ts';
import { priceOf } from '../domain/pricing.ts';
import type { Store } from '../store/store.ts';

/**
 * The cloud lifecycle's view of billing: prices from the current price list, one meter per
 * appliance of a request (so every charge names the appliance it is for), balances, and what a
 * user spent this month (for the monthly CCU quota).
 */
export function billingPort(store: Store): BillingPort {
  return {
    async quote(size, virtualization, ha, quantity): Promise<Quote> {
      const { priceList } = await new BillingRepo(store.db).currentPriceList();
      const priced = priceOf(priceList, { cpu: size.cpu, memoryMiB: size.memoryMiB, diskMiB: size.diskMiB, ha, virtualization }, quantity);
      return {
        ccuPerHourMilli: priced.ccuPerHourMilli,
        components: priced.components.map((c) => ({ component: c.component, quantity: c.quantity, ccuPerHourMilli: c.ccuPerHourMilli })),
        currency: priceList.currency,
      };
    },

    async openMeters(tx, request, at) {
      const product = await tx.products.require(request.spec.productId);
      const size = product.spec.sizes.find((s) => s.name === request.spec.size);
      if (!size) throw new Error(`size ${request.spec.size} is gone from product ${product.name}`);
      const { priceList } = await new BillingRepo(tx.db).currentPriceList();
      const priced = priceOf(priceList, { ...size, ha: request.spec.ha, virtualization: request.spec.virtualization }, 1);
      for (const applianceId of request.status.applianceIds) {
        await openMeter(tx, { id: store.ids.next(), userId: request.spec.ownerId, requestId: request.id, applianceId, priced, startedAt: at });
      }
    },

    async closeMeters(tx, requestId, at) {
      await closeMetersOfRequest(tx, requestId, at);
    },

    balanceMilli: (userId) => balanceOf(store, userId),

    async monthSpendMilli(via, userId, now) {
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
      const entries = await new BillingRepo(via.db).entriesBetween(userId, monthStart, null);
      return -entries.filter((e) => e.kind === 'debit').reduce((sum, e) => sum + e.amountMilli, 0);
    },
  };
}
