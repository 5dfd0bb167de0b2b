import { refuseIfBreaksN1 } from '../ha/admission-guard.ts';
import { DEFAULT_REQUIREMENTS, INITIAL_APPLIANCE_STATUS, RELEASE_FINALIZER, type Appliance } from '../domain/appliance.ts';
import { FleetyardError, notFound } from '../domain/errors.ts';
import { freshMeta, type Virtualization } from '../domain/meta.ts';
import { toHostname } from '../domain/names.ts';
import type { Stack } from '../domain/stack.ts';
import type { StackApplyResult, StackDeleteResult, StackInstanceKind } from '../domain/stack-plan.ts';
import type { Order, PricedOrder, RequestOrders } from '../cloud/request-orders.ts';
import type { StoredStack } from '../store/stack-repo.ts';
import type { Repos, Store } from '../store/store.ts';
import type { CatalogMember } from './stack-catalog.ts';
import { loadInstances, type LoadedInstance } from './stack-objects.ts';
import type { PlanResult, PlanStep, StackOwner, StackPlanner } from './stack-planner.ts';

/** Labels on the appliances a stack makes for an admin, so a look at an appliance says where it came from. */
export const STACK_LABEL = 'fleetyard.io/stack';
export const STACK_MEMBER_LABEL = 'fleetyard.io/stack-member';

/** How often an apply plans again when another change to the same stack got in between. */
const ATTEMPTS = 5;

type Done = StackApplyResult['done'][number];

/**
 * Carries out a stack's plan, all of it in one transaction or nothing: for a cloud user it
 * cancels and submits cloud requests (one per instance, through the normal request path, whose
 * reconciler approves and provisions them); for an admin it creates, moves and deletes
 * appliances. The stack's version moves with every apply that changes something, so two applies
 * racing on one stack conflict and the later one plans again instead of doubling instances.
 */
export class StackApplier {
  constructor(
    private readonly store: Store,
    private readonly planner: StackPlanner,
    private readonly orders: RequestOrders,
    /** Enforced N+1 admission refuses an HA appliance that would break it (src/ha/admission-guard.ts). */
    private readonly ha: { admission: 'enforce' | 'warn'; cpuAllocationRatio: number } = { admission: 'warn', cpuAllocationRatio: 1 },
  ) {}

  async apply(owner: StackOwner, doc: Stack, text: string | undefined, expectedVersion?: number): Promise<StackApplyResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.planner.plan(owner, doc, text);
      const { plan } = result;
      const version = result.stored?.version ?? 0;
      if (expectedVersion !== undefined && version !== expectedVersion) {
        throw new FleetyardError('FY_VERSION_CONFLICT', `stack ${doc.metadata.name} is at version ${version}, not ${expectedVersion}; plan again`, { expected: expectedVersion, actual: version });
      }
      if (plan.quota && !plan.quota.fits) {
        throw new FleetyardError('FY_QUOTA_EXCEEDED', `stack ${doc.metadata.name}: ${plan.quota.breach ?? 'over quota'}`, { breach: plan.quota.breach, reasons: plan.reasons });
      }
      if (!plan.capacity.fits) throw new FleetyardError('FY_NO_CAPACITY', `stack ${doc.metadata.name}: ${plan.capacity.reason ?? 'no capacity'}`, { reasons: plan.reasons });
      if (!plan.changes && result.stored) return { stack: record(result.stored), plan, done: [] };
      const priced = owner.admin ? new Map<string, PricedOrder>() : await this.priceOrders(owner, result);
      try {
        return await this.store.transaction((tx) => this.carryOut(tx, owner, result, priced));
      } catch (e) {
        if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /** Ends what the stack made (cancels its requests, deletes its appliances), then forgets the stack. */
  async remove(ownerId: string, name: string): Promise<StackDeleteResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          const stack = await tx.stacks.get(ownerId, name);
          if (!stack) throw notFound('stack', name);
          const removed: StackDeleteResult['removed'] = [];
          for (const l of await loadInstances(tx, await tx.stacks.instances(stack.id))) {
            if (!l.live) continue;
            await this.end(tx, stack, l, 'deleted');
            removed.push({ member: l.instance.member, ordinal: l.instance.ordinal, kind: l.instance.kind, id: l.instance.objectId });
          }
          await tx.stacks.delete(stack);
          await tx.emit({
            type: 'stack.deleted',
            kind: 'stack',
            objectId: stack.id,
            ownerId,
            message: `stack ${stack.name} deleted: ${removed.length} instance(s) ended`,
            data: { ownerId, name: stack.name, removed: removed.length },
          });
          return { stack: record(stack), removed };
        });
      } catch (e) {
        if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /** Prices one order per member that gets new requests; outside the transaction (quotes read the store). */
  private async priceOrders(owner: StackOwner, result: PlanResult): Promise<Map<string, PricedOrder>> {
    const out = new Map<string, PricedOrder>();
    for (const s of result.steps) {
      if (!creates(s) || out.has(s.member)) continue;
      out.set(s.member, await this.orders.price(owner.user, orderOf(s.target as CatalogMember, result)));
    }
    return out;
  }

  private async carryOut(tx: Repos, owner: StackOwner, result: PlanResult, priced: ReadonlyMap<string, PricedOrder>): Promise<StackApplyResult> {
    const now = this.store.clock.now();
    const name = result.doc.metadata.name;
    const cur = await tx.stacks.get(owner.user.id, name);
    if ((cur?.version ?? null) !== (result.stored?.version ?? null)) throw new FleetyardError('FY_VERSION_CONFLICT', `stack ${name} was changed meanwhile; plan again`);
    const stack = cur
      ? await tx.stacks.update(cur, result.yaml, now)
      : await tx.stacks.insert({ id: this.store.ids.next(), ownerId: owner.user.id, name, yaml: result.yaml, version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString() });
    const done: Done[] = [];
    for (const d of result.dead) await tx.stacks.removeInstance(stack.id, d.member, d.ordinal);
    // Ends first, so what they held is free (quota) before anything new is asked for.
    for (const s of result.steps) {
      if (s.action !== 'remove' && s.how !== 'replace') continue;
      const l = s.current as LoadedInstance;
      await this.end(tx, stack, l, s.action === 'remove' ? 'removed from the document' : 'replaced');
      if (s.action === 'remove') {
        await tx.stacks.removeInstance(stack.id, s.member, s.ordinal);
        done.push({ member: s.member, ordinal: s.ordinal, action: 'remove', kind: l.instance.kind, id: l.instance.objectId });
      }
    }
    for (const s of result.steps) {
      if (s.how === 'move') {
        const id = (s.current as LoadedInstance).instance.objectId;
        await this.move(tx, id, (s.target as CatalogMember).virtualization, now);
        done.push({ member: s.member, ordinal: s.ordinal, action: 'change', kind: 'appliance', id });
      } else if (creates(s)) {
        const m = s.target as CatalogMember;
        const made = owner.admin ? await this.createAppliance(tx, owner, stack, s, m, now) : await this.createRequest(tx, owner, result, m, priced);
        await tx.stacks.putInstance({ stackId: stack.id, member: s.member, ordinal: s.ordinal, kind: made.kind, objectId: made.id, productId: m.product.id, createdAt: now.toISOString() });
        done.push({ member: s.member, ordinal: s.ordinal, action: s.action, kind: made.kind, id: made.id });
      }
    }
    const n = (a: string) => done.filter((d) => d.action === a).length;
    await tx.emit({
      type: 'stack.applied',
      kind: 'stack',
      objectId: stack.id,
      ownerId: owner.user.id,
      message: `stack ${name} applied (version ${stack.version}): ${n('create')} created, ${n('change')} changed, ${n('remove')} removed`,
      data: { ownerId: owner.user.id, name, version: stack.version, created: n('create'), changed: n('change'), removed: n('remove') },
    });
    return { stack: record(stack), plan: result.plan, done };
  }

  /** Cancels an instance's request, or asks for its appliance to be deleted. */
  private async end(tx: Repos, stack: StoredStack, l: LoadedInstance, why: string): Promise<void> {
    const note = `stack ${stack.name}: ${l.instance.member} #${l.instance.ordinal} ${why}`;
    if (l.instance.kind === 'request') {
      await this.orders.cancelIn(tx, l.instance.objectId, note);
      return;
    }
    const a = await tx.appliances.get(l.instance.objectId);
    if (!a || a.deletionRequestedAt) return;
    await tx.appliances.update({ ...a, deletionRequestedAt: this.store.clock.now().toISOString() }, this.store.clock.now(), true);
    await tx.emit({ type: 'appliance.delete-requested', kind: 'appliance', objectId: a.id, ownerId: a.spec.ownerId, message: note, data: { stackId: stack.id } });
  }

  /** What POST /appliances/{id}/move records: the appliance reconciler carries the move out. */
  private async move(tx: Repos, id: string, to: Virtualization, now: Date): Promise<void> {
    const a = await tx.appliances.require(id);
    await tx.appliances.update(
      { ...a, spec: { ...a.spec, requirements: { ...a.spec.requirements, virtualization: to }, move: { id: this.store.ids.next(), to, requestedAt: now.toISOString() } } },
      now,
      true,
    );
    await tx.emit({ type: 'appliance.move-requested', kind: 'appliance', objectId: id, ownerId: a.spec.ownerId, message: `move of ${a.name} to ${to} requested by its stack`, data: { to } });
  }

  private async createRequest(tx: Repos, owner: StackOwner, result: PlanResult, m: CatalogMember, priced: ReadonlyMap<string, PricedOrder>): Promise<{ kind: StackInstanceKind; id: string }> {
    const p = priced.get(m.name);
    if (!p) throw new FleetyardError('FY_INTERNAL', `member ${m.name} was not priced`);
    const r = await this.orders.submit(tx, owner.user, orderOf(m, result), p);
    return { kind: 'request', id: r.id };
  }

  private async createAppliance(tx: Repos, owner: StackOwner, stack: StoredStack, s: PlanStep, m: CatalogMember, now: Date): Promise<{ kind: StackInstanceKind; id: string }> {
    const id = this.store.ids.next();
    // The id's tail keeps the name unique while a replaced appliance of the same member is still going.
    const name = `${stack.name}-${s.member}-${s.ordinal}-${id.slice(-6)}`;
    const a: Appliance = {
      ...freshMeta(id, name, now),
      spec: {
        ownerId: owner.user.id,
        imageId: m.product.spec.imageId,
        kernelId: m.product.spec.kernelId,
        requirements: { ...DEFAULT_REQUIREMENTS, cpu: m.size.cpu, memoryMiB: m.size.memoryMiB, diskMiB: m.size.diskMiB, virtualization: m.virtualization },
        command: null,
        hostname: toHostname(`${stack.name}-${s.member}-${s.ordinal}`),
        network: m.network,
        ...(m.moreNetworks.length > 0 ? { moreNetworks: m.moreNetworks } : {}),
        ha: m.ha,
        labels: { [STACK_LABEL]: stack.id, [STACK_MEMBER_LABEL]: `${s.member}-${s.ordinal}`.slice(0, 253) },
        desiredState: 'running',
        reservation: null,
        login: null,
        ...(m.product.spec.configGroups?.length ? { configGroups: m.product.spec.configGroups } : {}),
      },
      status: INITIAL_APPLIANCE_STATUS,
      deletionRequestedAt: null,
      finalizers: [RELEASE_FINALIZER],
    };
    if (this.ha.admission === 'enforce' && a.spec.ha) {
      await refuseIfBreaksN1(tx, now, this.ha.cpuAllocationRatio, { name, requirements: a.spec.requirements, reservation: null, ownerId: a.spec.ownerId });
    }
    await tx.appliances.insert(a);
    await tx.emit({ type: 'appliance.created', kind: 'appliance', objectId: id, ownerId: owner.user.id, message: `appliance ${name} created for stack ${stack.name}`, data: { desiredState: 'running', stackId: stack.id } });
    return { kind: 'appliance', id };
  }
}

const creates = (s: PlanStep): boolean => s.action === 'create' || s.how === 'replace';

function orderOf(m: CatalogMember, result: PlanResult): Order {
  const w = result.window;
  if (!w) throw new FleetyardError('FY_INTERNAL', 'a cloud stack has a window');
  return { productId: m.product.id, size: m.size.name, quantity: 1, startAt: w.startAt.toISOString(), endAt: w.endAt.toISOString(), virtualization: m.virtualization, ha: m.ha };
}

export function record(s: StoredStack): StackApplyResult['stack'] {
  return { id: s.id, name: s.name, ownerId: s.ownerId, version: s.version, createdAt: s.createdAt, updatedAt: s.updatedAt };
}
