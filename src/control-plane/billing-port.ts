import { balanceOf } from '../billing/balance.ts';
import { BillingRepo } from '../billing/billing-repo.ts';
import { closeMeter, closeMetersOfRequest, openMeter } from '../billing/meters.ts';
import type { BillingPort, Quote } from '../cloud/ports.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import type { Virtualization } from '../domain/meta.ts';
import { priceOf, type Priced } from '../domain/pricing.ts';
import type { Repos, Store } from '../store/store.ts';

/**
 * The cloud lifecycle's view of billing: prices from the current price list, one meter per
 * appliance of a request (so every charge names the appliance it is for), balances, and what a
 * user spent this month (for the monthly CCU quota).
 */
/** The price of one appliance of the request's size on `virtualization`, from the current price list. */
async function priceFor(tx: Repos, request: CloudRequest, virtualization: Virtualization, applianceId: string): Promise<Priced> {
  const product = await tx.products.require(request.spec.productId);
  const size = product.spec.sizes.find((s) => s.name === request.spec.size);
  if (!size) throw new Error(`size ${request.spec.size} is gone from product ${product.name}`);
  const { priceList } = await new BillingRepo(tx.db).currentPriceList();
  // The groups the appliance carries (it got its product's when it was made).
  const configGroups = (await tx.appliances.get(applianceId))?.spec.configGroups ?? product.spec.configGroups;
  return priceOf(priceList, { ...size, ha: request.spec.ha, virtualization, configGroups }, 1);
}

/** The virtualization a meter was priced for (its `virtualization:<type>` line). */
function meteredVirtualization(components: Array<{ component: string }>): string | undefined {
  return components.find((c) => c.component.startsWith('virtualization:'))?.component.slice('virtualization:'.length);
}

export function billingPort(store: Store): BillingPort {
  return {
    async quote(size, virtualization, ha, quantity, configGroups): Promise<Quote> {
      const { priceList } = await new BillingRepo(store.db).currentPriceList();
      const priced = priceOf(priceList, { cpu: size.cpu, memoryMiB: size.memoryMiB, diskMiB: size.diskMiB, ha, virtualization, configGroups }, quantity);
      return {
        ccuPerHourMilli: priced.ccuPerHourMilli,
        components: priced.components.map((c) => ({ component: c.component, quantity: c.quantity, ccuPerHourMilli: c.ccuPerHourMilli })),
        currency: priceList.currency,
      };
    },

    async openMeters(tx, request, at) {
      for (const applianceId of request.status.applianceIds) {
        const priced = await priceFor(tx, request, request.spec.virtualization, applianceId);
        await openMeter(tx, { id: store.ids.next(), userId: request.spec.ownerId, requestId: request.id, applianceId, priced, startedAt: at });
      }
    },

    async closeMeters(tx, requestId, at) {
      await closeMetersOfRequest(tx, requestId, at);
    },

    async reprice(tx, request, running, at) {
      const repo = new BillingRepo(tx.db);
      let changed = 0;
      for (const { applianceId, virtualization } of running) {
        const open = await repo.openMeterFor(request.id, applianceId);
        if (!open || meteredVirtualization(open.components) === virtualization) continue;
        const priced = await priceFor(tx, request, virtualization, applianceId);
        await closeMeter(tx, open.id, at);
        await openMeter(tx, { id: store.ids.next(), userId: request.spec.ownerId, requestId: request.id, applianceId, priced, startedAt: at });
        changed++;
      }
      return changed;
    },

    balanceMilli: (userId) => balanceOf(store, userId),

    async monthSpendMilli(via, userId, now) {
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
      const entries = await new BillingRepo(via.db).entriesBetween(userId, monthStart, null);
      return -entries.filter((e) => e.kind === 'debit').reduce((sum, e) => sum + e.amountMilli, 0);
    },
  };
}
