import {
  DEFAULT_REQUIREMENTS,
  INITIAL_APPLIANCE_STATUS,
  RELEASE_FINALIZER,
  type Appliance,
} from '../domain/appliance.ts';
import { REQUEST_LABEL, type CloudRequest } from '../domain/cloud-request.ts';
import { FleetyardError } from '../domain/errors.ts';
import { freshMeta } from '../domain/meta.ts';
import { toHostname } from '../domain/names.ts';
import type { Product, Size } from '../domain/product.ts';
import type { Store } from '../store/store.ts';
import type { ApplianceLogin } from './login.ts';
import { TenantNetworks, tenantOf, type TenantPool } from './tenant-networks.ts';

/**
 * The appliances that fulfil a request: one per unit, named `<request>-<unit>`, owned by the
 * request's user, pinned to the unit's reservation and labelled with the request, so creating
 * them again after a crash finds the ones already made instead of making more. Each goes on its
 * owner's private network (or their group's, by the product), made on first need
 * (tenant-networks.ts).
 */
export class RequestAppliances {
  private readonly tenants: TenantNetworks;

  constructor(
    private readonly store: Store,
    tenantPool?: TenantPool,
  ) {
    this.tenants = new TenantNetworks(store, tenantPool);
  }

  nameOf(r: CloudRequest, unit: number): string {
    return `${r.name}-${unit}`;
  }

  async list(r: CloudRequest): Promise<Appliance[]> {
    const out: Appliance[] = [];
    for (let unit = 0; unit < r.spec.quantity; unit++) {
      const a = await this.store.read.appliances.getByName(this.nameOf(r, unit));
      if (a) out.push(a);
    }
    return out;
  }

  /** Makes the missing ones; returns all of them in unit order. */
  async ensure(r: CloudRequest, product: Product, size: Size, login: ApplianceLogin): Promise<Appliance[]> {
    const reservations = await this.store.read.cloud.reservations({ requestId: r.id });
    let network: string | undefined;
    const out: Appliance[] = [];
    for (let unit = 0; unit < r.spec.quantity; unit++) {
      const name = this.nameOf(r, unit);
      const existing = await this.store.read.appliances.getByName(name);
      if (existing) {
        out.push(existing);
        continue;
      }
      const reservation = reservations.find((x) => x.unit === unit);
      if (!reservation) throw new FleetyardError('FY_NO_CAPACITY', `unit ${unit} of ${r.name} has no reservation`);
      network ??= (await this.tenants.ensure(tenantOf(await this.store.read.users.require(r.spec.ownerId), product))).name;
      const a: Appliance = {
        ...freshMeta(this.store.ids.next(), name, this.store.clock.now()),
        spec: {
          ownerId: r.spec.ownerId,
          imageId: product.spec.imageId,
          kernelId: product.spec.kernelId,
          requirements: {
            ...DEFAULT_REQUIREMENTS,
            cpu: size.cpu,
            memoryMiB: size.memoryMiB,
            diskMiB: size.diskMiB,
            virtualization: r.spec.virtualization,
          },
          command: null,
          hostname: toHostname(name),
          network,
          ha: r.spec.ha,
          labels: { [REQUEST_LABEL]: r.id },
          desiredState: 'running',
          reservation: { id: reservation.id, hostId: reservation.hostId },
          login,
          ...(product.spec.configGroups?.length ? { configGroups: product.spec.configGroups } : {}),
          ...(product.spec.placementPolicy ? { placement: { hostLabels: {}, antiAffinity: null, policy: product.spec.placementPolicy } } : {}),
        },
        status: INITIAL_APPLIANCE_STATUS,
        deletionRequestedAt: null,
        finalizers: [RELEASE_FINALIZER],
      };
      await this.store.transaction(async (tx) => {
        await tx.appliances.insert(a);
        await tx.emit({
          type: 'appliance.created',
          kind: 'appliance',
          objectId: a.id,
          ownerId: a.spec.ownerId,
          message: `appliance ${name} created for request ${r.name}`,
          data: { desiredState: a.spec.desiredState, requestId: r.id },
        });
      });
      out.push(a);
    }
    return out;
  }

  /** Sets every appliance's desired state (pause / resume). */
  async setDesired(r: CloudRequest, desiredState: 'running' | 'stopped'): Promise<void> {
    for (const a of await this.list(r)) {
      if (a.spec.desiredState === desiredState || a.deletionRequestedAt) continue;
      await this.store.transaction(async (tx) => {
        const cur = await tx.appliances.require(a.id);
        await tx.appliances.update({ ...cur, spec: { ...cur.spec, desiredState } }, this.store.clock.now(), true);
        await tx.emit({ type: `appliance.${desiredState === 'running' ? 'start' : 'stop'}-requested`, kind: 'appliance', objectId: a.id, ownerId: cur.spec.ownerId, message: `${desiredState} for request ${r.name}`, data: { requestId: r.id } });
      });
    }
  }

  /** Asks for every appliance to be deleted; true once none is left. */
  async remove(r: CloudRequest): Promise<boolean> {
    const left = await this.list(r);
    for (const a of left) {
      if (a.deletionRequestedAt) continue;
      await this.store.transaction(async (tx) => {
        const cur = await tx.appliances.require(a.id);
        await tx.appliances.update({ ...cur, deletionRequestedAt: this.store.clock.now().toISOString() }, this.store.clock.now(), true);
        await tx.emit({ type: 'appliance.delete-requested', kind: 'appliance', objectId: a.id, ownerId: cur.spec.ownerId, message: `de-provisioning for request ${r.name}`, data: { requestId: r.id } });
      });
    }
    return left.length === 0;
  }
}
