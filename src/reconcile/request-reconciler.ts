import { CapacityService } from '../cloud/capacity.ts';
import type { ApplianceLogin } from '../cloud/login.ts';
import { loginFor } from '../cloud/login.ts';
import type { BillingPort, MailPort } from '../cloud/ports.ts';
import { QuotaService } from '../cloud/quota-service.ts';
import { RequestAppliances } from '../cloud/request-appliances.ts';
import type { TenantPool } from '../cloud/tenant-networks.ts';
import { transition, transitionIn, type Transition } from '../cloud/request-transitions.ts';
import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import type { ConfigGroup } from '../domain/config-group.ts';
import { configProgress, type ConfigProgress } from '../domain/config-progress.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { Product, Size } from '../domain/product.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { admitHaRequest } from '../ha/admission-guard.ts';
import type { Store } from '../store/store.ts';
import type { ReconcileResult, Reconciler } from './controller.ts';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';

export interface CloudPolicy {
  /** enforce: an HA request whose units would break N+1 is not approved (no-capacity, with the reason). */
  haAdmission?: 'enforce' | 'warn';
  /** Requests whose whole-window cost is at most this many CCU are approved without an admin; null: never. */
  autoApproveMaxCcu: number | null;
  /** How long before its start time a request is provisioned. */
  provisionLeadMs: number;
  /** How reservations pick hosts when the product names no policy (default spread). */
  placementPolicy?: PlacementPolicy;
}

const HOUR_MS = 3_600_000;

/**
 * Drives a cloud request through its lifecycle with no operator: decide (policy or admin),
 * reserve capacity for the whole window, provision shortly before the start, create the user's
 * login, go active (meter, mail), and de-provision at the end, on cancel or when credits run out.
 *
 * Level-based and time-driven: every run looks at the request, its appliances, the clock and the
 * owner's balance, does the next step, and asks to run again at the next instant that matters
 * (the start, the end) on the injected clock. Appliance events wake it in between.
 */
export class RequestReconciler implements Reconciler {
  readonly kind = 'request';
  private readonly capacity: CapacityService;
  private readonly quotas: QuotaService;
  private readonly appliances: RequestAppliances;

  constructor(
    private readonly store: Store,
    private readonly billing: BillingPort,
    private readonly mail: MailPort,
    private readonly box: SecretBox,
    private readonly policy: CloudPolicy,
    private readonly cpuAllocationRatio: number,
    tenantPool?: TenantPool,
  ) {
    this.capacity = new CapacityService(store, cpuAllocationRatio);
    this.quotas = new QuotaService(billing);
    this.appliances = new RequestAppliances(store, tenantPool);
  }

  async reconcile(id: string): Promise<ReconcileResult | void> {
    const r = await this.store.read.requests.get(id);
    if (!r) return;
    switch (r.status.state) {
      case 'new':
        return this.decide(r);
      case 'approved':
        return this.waitForStart(r);
      case 'provisioning':
        return this.provision(r);
      case 'active':
        return this.keepActive(r);
      case 'paused':
        return this.keepPaused(r);
      case 'deprovisioning':
        return this.deprovision(r);
      default:
        return this.settle(r);
    }
  }

  private now(): Date {
    return this.store.clock.now();
  }

  private go(r: CloudRequest, t: Transition): Promise<CloudRequest> {
    return transition(this.store, this.mail, r, t);
  }

  private async productAndSize(r: CloudRequest): Promise<{ product: Product; size: Size } | undefined> {
    const product = await this.store.read.products.get(r.spec.productId);
    const size = product?.spec.sizes.find((s) => s.name === r.spec.size);
    return product && size ? { product, size } : undefined;
  }

  /** new → approved | denied | no-capacity, or wait for an admin. */
  private async decide(r: CloudRequest): Promise<ReconcileResult | void> {
    const now = this.now();
    if (r.spec.cancelled) return void (await this.go(r, { to: 'done', reason: 'cancelled before approval' }));
    const ps = await this.productAndSize(r);
    if (!ps) return void (await this.go(r, { to: 'denied', reason: 'the product or size is no longer offered', mail: { template: 'request-denied', vars: { comment: '' } } }));
    if (Date.parse(r.spec.endAt) <= now.getTime()) {
      return void (await this.go(r, { to: 'denied', reason: 'the time window is already over', mail: { template: 'request-denied', vars: { comment: '' } } }));
    }
    const quote = await this.billing.quote(ps.size, r.spec.virtualization, r.spec.ha, r.spec.quantity, ps.product.spec.configGroups);
    const totalCcu = (quote.ccuPerHourMilli / 1000) * ((Date.parse(r.spec.endAt) - Math.max(now.getTime(), Date.parse(r.spec.startAt))) / HOUR_MS);
    const decision = r.spec.decision;
    let by: string;
    if (decision) {
      if (!decision.approved) {
        return void (await this.go(r, { to: 'denied', reason: `denied by an admin${decision.comment ? `: ${decision.comment}` : ''}`, mail: { template: 'request-denied', vars: { comment: decision.comment } } }));
      }
      by = 'an admin';
    } else if (this.policy.autoApproveMaxCcu !== null && totalCcu <= this.policy.autoApproveMaxCcu) {
      by = 'policy';
    } else {
      return; // waits for an admin's decision (a spec change wakes it)
    }
    const owner = await this.store.read.users.require(r.spec.ownerId);
    const vars = { startAt: r.spec.startAt, endAt: r.spec.endAt, ccuPerHour: String(quote.ccuPerHourMilli / 1000) };
    // The capacity decision and the state it leads to commit in one transaction, holding the
    // capacity epoch, so no two decisions see the same free capacity and nothing is half-done.
    const next = await this.withCapacityLock(() =>
      this.store.transaction(async (tx) => {
        await tx.cloud.bumpCapacityEpoch();
        const cur = await tx.requests.require(r.id);
        if (cur.version !== r.version) throw new FleetyardError('FY_VERSION_CONFLICT', 'request changed');
        const patch = { ccuPerHour: quote.ccuPerHourMilli / 1000 };
        const q = await this.quotas.check(tx, owner, { size: ps.size, quantity: r.spec.quantity, totalCcu }, now, r.id);
        if (q.breach) {
          return transitionIn(tx, this.store, this.mail, r, { to: 'denied', reason: q.breach, patch, mail: { template: 'request-denied', vars: { ...vars, comment: q.breach } } });
        }
        const plan = await this.capacity.reserve(tx, r, ps.size, now, ps.product.spec.placementPolicy ?? this.policy.placementPolicy ?? 'spread');
        const reason = plan.fits ? await this.haRefusal(tx, r, ps.size, now) : plan.reason;
        if (reason) {
          await tx.cloud.releaseReservations(r.id);
          return transitionIn(tx, this.store, this.mail, r, { to: 'no-capacity', reason, patch, mail: { template: 'request-no-capacity', vars: { ...vars, comment: reason } } });
        }
        return transitionIn(tx, this.store, this.mail, r, { to: 'approved', reason: `approved by ${by}`, patch, mail: { template: 'request-approved', vars: { ...vars, comment: '' } } });
      }),
    );
    return next.status.state === 'approved' ? this.waitForStart(next) : undefined;
  }

  /** Why enforced HA admission refuses the request's reserved units, or null (not HA, not enforced, admitted). */
  private async haRefusal(tx: Parameters<typeof admitHaRequest>[0], r: CloudRequest, size: Size, now: Date): Promise<string | null> {
    if (!r.spec.ha || this.policy.haAdmission !== 'enforce') return null;
    const verdict = await admitHaRequest(tx, now, this.cpuAllocationRatio, r, size);
    return verdict.admit ? null : `HA admission (N+1): ${verdict.reason}`;
  }

  /** Retries a capacity decision that lost a race to another one, at once, a bounded number of times. */
  private async withCapacityLock<T>(decide: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await decide();
      } catch (e) {
        if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') || attempt >= 50) throw e;
      }
    }
  }

  private async waitForStart(r: CloudRequest): Promise<ReconcileResult | void> {
    if (r.spec.cancelled) return void (await this.go(r, { to: 'deprovisioning', reason: 'cancelled by the user' }));
    const provisionAt = Date.parse(r.spec.startAt) - this.policy.provisionLeadMs;
    if (this.now().getTime() < provisionAt) return { requeueAt: new Date(provisionAt) };
    const next = await this.go(r, { to: 'provisioning', reason: 'the start time is near' });
    return this.provision(next);
  }

  private endReason(r: CloudRequest): string | undefined {
    if (r.spec.cancelled) return 'cancelled by the user';
    if (this.now().getTime() >= Date.parse(r.spec.endAt)) return 'the time window ended';
    return undefined;
  }

  private async login(r: CloudRequest): Promise<ApplianceLogin> {
    const existing = (await this.appliances.list(r))[0]?.spec.login;
    if (existing) return existing;
    return loginFor(await this.store.read.users.require(r.spec.ownerId), this.box);
  }

  private async provision(r: CloudRequest): Promise<ReconcileResult | void> {
    const ending = this.endReason(r);
    if (ending) return void (await this.go(r, { to: 'deprovisioning', reason: ending }));
    const ps = await this.productAndSize(r);
    if (!ps) return void (await this.go(r, { to: 'failed', reason: 'the product or size disappeared' }));
    const login = await this.login(r);
    const appliances = await this.appliances.ensure(r, ps.product, ps.size, login);
    const ids = appliances.map((a) => a.id);
    const failed = appliances.find((a) => a.status.phase === 'failed');
    if (failed) {
      return void (await this.go(r, {
        to: 'failed',
        reason: `appliance ${failed.name} failed: ${failed.status.message ?? 'unknown'}`,
        patch: { applianceIds: ids },
        mail: { template: 'request-failed', vars: { comment: failed.status.message ?? '' } },
      }));
    }
    // Active only once every appliance runs and has every configuration group applied; a group
    // whose play failed fails the request with what the failing task said.
    const config = await this.configOf(appliances);
    const badConfig = config.find((c) => c.progress.failed);
    if (badConfig?.progress.failed) {
      const f = badConfig.progress.failed;
      const why = `configuration group ${f.group} failed on appliance ${badConfig.appliance.name}: ${f.message}`;
      return void (await this.go(r, { to: 'failed', reason: why, patch: { applianceIds: ids }, mail: { template: 'request-failed', vars: { comment: why } } }));
    }
    if (!appliances.every((a) => a.status.phase === 'running') || !config.every((c) => c.progress.done)) {
      if (JSON.stringify(r.status.applianceIds) !== JSON.stringify(ids)) await this.writeIds(r, ids);
      return { requeueAt: new Date(r.spec.endAt) };
    }
    const password = login.passwordSealed ? this.box.open(login.passwordSealed) : '';
    const access = appliances.map((a) => `  ssh ${login.user}@${reachableAddress(a) ?? '?'}   (${a.name})`).join('\n');
    const now = this.now();
    const next = await this.go(r, {
      to: 'active',
      reason: config.some((c) => c.appliance.spec.configGroups?.length) ? 'every appliance is running with the login in place and its configuration groups applied' : 'every appliance is running with the login in place',
      patch: { applianceIds: ids, activeSince: now.toISOString(), login: { user: login.user, method: login.sshPublicKey ? 'ssh-key' : 'password' } },
      also: (tx) => this.billing.openMeters(tx, { ...r, status: { ...r.status, applianceIds: ids } }, now),
      mail: {
        template: 'request-active',
        vars: {
          login: login.user,
          access,
          addresses: appliances.map((a) => reachableAddress(a) ?? '').join(', '),
          password,
          endAt: r.spec.endAt,
        },
      },
    });
    return { requeueAt: new Date(next.spec.endAt) };
  }

  /** Each appliance's standing with its configuration groups (src/domain/config-progress.ts). */
  private async configOf(appliances: Appliance[]): Promise<Array<{ appliance: Appliance; progress: ConfigProgress }>> {
    const groups = new Map<string, ConfigGroup>();
    for (const name of new Set(appliances.flatMap((a) => a.spec.configGroups ?? []))) {
      const g = await this.store.read.configGroups.getByName(name);
      if (g) groups.set(name, g);
    }
    return appliances.map((a) => ({ appliance: a, progress: configProgress(a, [...groups.values()]) }));
  }

  private async writeIds(r: CloudRequest, ids: string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.requests.update({ ...r, status: { ...r.status, applianceIds: ids } }, this.now());
    });
  }

  private async keepActive(r: CloudRequest): Promise<ReconcileResult | void> {
    const now = this.now();
    const ending = this.endReason(r) ?? ((await this.billing.balanceMilli(r.spec.ownerId)) <= 0 ? 'the CCU balance reached zero' : undefined);
    if (ending) {
      const next = await this.go(r, { to: 'deprovisioning', reason: ending, also: (tx) => this.billing.closeMeters(tx, r.id, now) });
      return this.deprovision(next);
    }
    if (r.spec.paused) {
      await this.go(r, { to: 'paused', reason: 'paused by the user: resources released, clones kept', also: (tx) => this.billing.closeMeters(tx, r.id, now) });
      await this.appliances.setDesired(r, 'stopped');
      return { requeueAt: new Date(r.spec.endAt) };
    }
    // A moved appliance costs what its new virtualization costs, from the moment it runs there.
    const running = (await this.appliances.list(r))
      .filter((a) => a.status.phase === 'running' && a.status.virtualization !== null)
      .map((a) => ({ applianceId: a.id, virtualization: a.status.virtualization as NonNullable<typeof a.status.virtualization> }));
    await this.store.transaction(async (tx) => {
      const repriced = await this.billing.reprice(tx, r, running, now);
      if (repriced > 0) {
        await tx.emit({ type: 'request.repriced', kind: 'request', objectId: r.id, ownerId: r.spec.ownerId, message: `request ${r.name}: ${repriced} appliance(s) re-priced after a move`, data: { appliances: repriced } });
      }
    });
    return { requeueAt: new Date(r.spec.endAt) };
  }

  private async keepPaused(r: CloudRequest): Promise<ReconcileResult | void> {
    const ending = this.endReason(r);
    if (ending) return this.deprovision(await this.go(r, { to: 'deprovisioning', reason: ending }));
    await this.appliances.setDesired(r, r.spec.paused ? 'stopped' : 'running');
    if (!r.spec.paused) return this.provision(await this.go(r, { to: 'provisioning', reason: 'resumed by the user' }));
    return { requeueAt: new Date(r.spec.endAt) };
  }

  private async deprovision(r: CloudRequest): Promise<ReconcileResult | void> {
    const now = this.now();
    await this.store.transaction((tx) => this.billing.closeMeters(tx, r.id, now));
    if (!(await this.appliances.remove(r))) return; // appliance.deleted events wake it
    await this.go(r, {
      to: 'done',
      reason: r.status.reason ?? 'de-provisioned',
      also: async (tx) => void (await tx.cloud.releaseReservations(r.id)),
      mail: { template: 'request-deprovisioned', vars: { comment: r.status.reason ?? '' } },
    });
  }

  /** Terminal states hold nothing: no appliance, no meter, no reservation. */
  private async settle(r: CloudRequest): Promise<void> {
    const now = this.now();
    await this.store.transaction(async (tx) => {
      await this.billing.closeMeters(tx, r.id, now);
      await tx.cloud.releaseReservations(r.id);
    });
    await this.appliances.remove(r);
  }
}
