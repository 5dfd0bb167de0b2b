import type { Appliance } from '../domain/appliance.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import type { CapacityService } from '../cloud/capacity.ts';
import type { BillingPort, Quote } from '../cloud/ports.ts';
import type { QuotaAsk, QuotaService } from '../cloud/quota-service.ts';
import type { Virtualization } from '../domain/meta.ts';
import { stringifyStack, type Stack } from '../domain/stack.ts';
import type { FieldChange, PlannedInstance, StackAction, StackInstance, StackInstanceKind, StackPlan } from '../domain/stack-plan.ts';
import type { User } from '../domain/user.ts';
import type { StoredStack } from '../store/stack-repo.ts';
import type { Store } from '../store/store.ts';
import { resolveMembers, type CatalogMember } from './stack-catalog.ts';
import { loadInstances, type LoadedInstance } from './stack-objects.ts';

const HOUR_MS = 3_600_000;
/** An admin's appliance has no end: it must leave room for every reservation to come. */
const NO_END_MS = 100 * 366 * 24 * HOUR_MS;

/** Whose stack it is: a cloud user's instances are requests, an admin's appliances. */
export interface StackOwner {
  user: User;
  admin: boolean;
}

/** One step of a plan with what the apply needs to carry it out. */
export interface PlanStep {
  member: string;
  ordinal: number;
  action: StackAction;
  how: 'move' | 'replace' | null;
  kind: StackInstanceKind;
  /** What carries the instance now (live), for keep, change and remove. */
  current: LoadedInstance | null;
  /** What the instance is to be, for create, keep and change. */
  target: CatalogMember | null;
  changes: FieldChange[];
  ccuPerHourMilli: number;
}

export interface PlanResult {
  plan: StackPlan;
  doc: Stack;
  yaml: string;
  stored: StoredStack | undefined;
  steps: PlanStep[];
  /** Instances whose object is gone and that the document no longer wants: forgotten on apply. */
  dead: StackInstance[];
  window: { startAt: Date; endAt: Date } | null;
}

/**
 * Compares a stack document with what runs now for that stack and says, per instance, what an
 * apply would create, keep, change or remove; what the whole stack and the change cost per hour
 * (the billing quote); and whether it fits the owner's quota and the capacity. Reads only, never
 * inside a transaction (quotes read the price list from the store).
 */
export class StackPlanner {
  constructor(
    private readonly store: Store,
    private readonly billing: BillingPort,
    private readonly quotas: QuotaService,
    private readonly capacity: CapacityService,
  ) {}

  async plan(owner: StackOwner, doc: Stack, text?: string): Promise<PlanResult> {
    const read = this.store.read;
    const now = this.store.clock.now();
    const members = await resolveMembers(read, doc, text, owner.admin);
    const stored = await read.stacks.get(owner.user.id, doc.metadata.name);
    const loaded = stored ? await loadInstances(read, await read.stacks.instances(stored.id)) : [];
    const kind: StackInstanceKind = owner.admin ? 'appliance' : 'request';
    const productNames = new Map<string, string>();
    const productName = async (id: string) => {
      if (!productNames.has(id)) productNames.set(id, (await read.products.get(id))?.name ?? id);
      return productNames.get(id) as string;
    };
    const quotes = new Map<string, Promise<Quote>>();
    const fullQuote = (cpu: number, memoryMiB: number, diskMiB: number, virtualization: Virtualization, ha: boolean, configGroups: readonly string[] = []): Promise<Quote> => {
      const key = `${cpu}/${memoryMiB}/${diskMiB}/${virtualization}/${ha}/${configGroups.join(',')}`;
      if (!quotes.has(key)) quotes.set(key, this.billing.quote({ name: key, cpu, memoryMiB, diskMiB }, virtualization, ha, 1, configGroups));
      return quotes.get(key) as Promise<Quote>;
    };
    const quote = async (cpu: number, memoryMiB: number, diskMiB: number, virtualization: Virtualization, ha: boolean, configGroups?: readonly string[]) =>
      (await fullQuote(cpu, memoryMiB, diskMiB, virtualization, ha, configGroups)).ccuPerHourMilli;
    const priceOf = (m: CatalogMember) => quote(m.size.cpu, m.size.memoryMiB, m.size.diskMiB, m.virtualization, m.ha, m.product.spec.configGroups);

    const steps: PlanStep[] = [];
    const dead: StackInstance[] = [];
    const wanted = new Set<string>();
    for (const m of members) {
      const perInstance = await priceOf(m);
      for (let ordinal = 1; ordinal <= m.count; ordinal++) {
        wanted.add(`${m.name}\u0000${ordinal}`);
        const found = loaded.find((l) => l.instance.member === m.name && l.instance.ordinal === ordinal);
        const base = { member: m.name, ordinal, kind, target: m, ccuPerHourMilli: perInstance };
        if (!found?.live) {
          steps.push({ ...base, action: 'create', how: null, current: null, changes: [] });
          continue;
        }
        const changes = await diff(found, m, productName);
        const sameKind = found.instance.kind === kind;
        if (changes.length === 0 && sameKind) {
          steps.push({ ...base, action: 'keep', how: null, current: found, changes });
          continue;
        }
        const movable = sameKind && owner.admin && changes.every((c) => c.field === 'virtualization') && !isMoving(found.appliance);
        steps.push({ ...base, action: 'change', how: movable ? 'move' : 'replace', current: found, changes });
      }
    }
    for (const l of loaded) {
      if (wanted.has(`${l.instance.member}\u0000${l.instance.ordinal}`)) continue;
      if (!l.live) {
        dead.push(l.instance);
        continue;
      }
      steps.push({ member: l.instance.member, ordinal: l.instance.ordinal, action: 'remove', how: null, kind: l.instance.kind, current: l, target: null, changes: [], ccuPerHourMilli: 0 });
    }

    const window = owner.admin ? null : { startAt: now, endAt: new Date(now.getTime() + (doc.spec.hours ?? 0) * HOUR_MS) };
    const creating = steps.filter((s) => s.action === 'create' || s.how === 'replace');
    const ending = new Set(steps.filter((s) => s.action === 'remove' || s.how === 'replace').flatMap((s) => (s.current?.request ? [s.current.request.id] : [])));

    let currentMilli = 0;
    for (const l of loaded.filter((x) => x.live)) currentMilli += await this.currentPrice(l, quote);
    const afterMilli = steps.reduce((sum, s) => sum + s.ccuPerHourMilli, 0);
    const hours = window ? (window.endAt.getTime() - window.startAt.getTime()) / HOUR_MS : 0;
    const createdTotalMilli = creating.reduce((sum, s) => sum + s.ccuPerHourMilli * hours, 0);
    // Every quote is in the price list's one currency; a stack has at least one member.
    const { currency } = await (quotes.values().next().value as Promise<Quote>);

    let quota: StackPlan['quota'] = null;
    if (!owner.admin) {
      const asks: QuotaAsk[] = creating.map((s) => ({ size: (s.target as CatalogMember).size, quantity: 1, totalCcu: (s.ccuPerHourMilli / 1000) * hours }));
      const check = await this.quotas.checkAll(read, owner.user, asks, now, ending);
      // Nothing new asks for nothing, even from an owner already over a limit.
      const breach = asks.length === 0 ? null : check.breach;
      quota = { user: check.user, group: check.group, fits: breach === null, breach };
    }
    const capacity = await this.capacityFor(creating, window, now, ending);

    const reasons = [quota?.breach, capacity.reason].filter((r): r is string => typeof r === 'string');
    const yaml = stringifyStack(doc);
    const count = (a: StackAction) => steps.filter((s) => s.action === a).length;
    const plan: StackPlan = {
      stack: { name: doc.metadata.name, ownerId: owner.user.id, id: stored?.id ?? null, version: stored?.version ?? null },
      yaml,
      mode: owner.admin ? 'appliances' : 'requests',
      window: window && { startAt: window.startAt.toISOString(), endAt: window.endAt.toISOString() },
      members: await Promise.all(
        members.map(async (m) => ({
          name: m.name,
          product: m.product.name,
          productId: m.product.id,
          image: m.image,
          kernelId: m.product.spec.kernelId,
          size: m.size,
          virtualization: m.virtualization,
          network: m.network,
          ...(m.moreNetworks.length > 0 ? { moreNetworks: m.moreNetworks } : {}),
          ha: m.ha,
          count: m.count,
          ccuPerHour: ((await priceOf(m)) * m.count) / 1000,
        })),
      ),
      links: (doc.spec.links ?? []).map((l) => ({ from: l.from, to: l.to })),
      instances: steps.map(toPlanned),
      summary: { create: count('create'), keep: count('keep'), change: count('change'), remove: count('remove') },
      changes: steps.some((s) => s.action !== 'keep') || dead.length > 0 || (stored !== undefined && stored.yaml !== yaml) || stored === undefined,
      price: {
        ccuPerHour: afterMilli / 1000,
        currentCcuPerHour: currentMilli / 1000,
        changeCcuPerHour: (afterMilli - currentMilli) / 1000,
        createdTotalCcu: window ? Math.round(createdTotalMilli) / 1000 : null,
        currency: { code: currency.code, ccuPerUnit: currency.ccuPerUnit, perHour: Math.round((afterMilli / 1000 / currency.ccuPerUnit) * 100) / 100 },
      },
      quota,
      capacity,
      fits: reasons.length === 0,
      reasons,
    };
    return { plan, doc, yaml, stored, steps, dead, window };
  }

  /** What a live instance costs now, as it runs (its request's quote, or its appliance's size). */
  private async currentPrice(l: LoadedInstance, quote: (cpu: number, m: number, d: number, v: Virtualization, ha: boolean, configGroups?: readonly string[]) => Promise<number>): Promise<number> {
    if (l.request) return Math.round(l.request.status.ccuPerHour * 1000);
    const a = l.appliance;
    if (!a) return 0;
    const r = a.spec.requirements;
    const virtualization = a.status.virtualization ?? (r.virtualization === 'any' ? null : r.virtualization);
    return virtualization ? quote(r.cpu, r.memoryMiB, r.diskMiB, virtualization, a.spec.ha, a.spec.configGroups) : 0;
  }

  /** Whether the instances to create find room together: over the requests' window, or for ever for an admin's appliances. */
  private async capacityFor(creating: PlanStep[], window: PlanResult['window'], now: Date, ending: ReadonlySet<string>): Promise<StackPlan['capacity']> {
    if (creating.length === 0) return { fits: true, reason: null };
    const byMember = new Map<string, { m: CatalogMember; units: number }>();
    for (const s of creating) {
      const m = s.target as CatalogMember;
      byMember.set(m.name, { m, units: (byMember.get(m.name)?.units ?? 0) + 1 });
    }
    const asks = [...byMember.values()].map(({ m, units }) => ({ ask: { cpu: m.size.cpu, memoryMiB: m.size.memoryMiB, diskMiB: m.size.diskMiB, virtualization: m.virtualization }, units }));
    const startAt = window?.startAt ?? now;
    const endAt = window?.endAt ?? new Date(now.getTime() + NO_END_MS);
    const r = await this.capacity.fitsAll(this.store.read, asks, startAt, endAt, now, ending);
    return r.fits ? { fits: true, reason: null } : { fits: false, reason: `no capacity: ${r.reason}` };
  }
}

function toPlanned(s: PlanStep): PlannedInstance {
  return {
    member: s.member,
    ordinal: s.ordinal,
    action: s.action,
    how: s.how,
    kind: s.kind,
    current: s.current?.view ?? null,
    changes: s.changes,
    ccuPerHour: s.ccuPerHourMilli / 1000,
  };
}

const isMoving = (a: Appliance | undefined): boolean => a?.spec.move != null && a.status.lastMove?.id !== a.spec.move.id;

/** How the live object differs from what the member asks for, field by field. */
async function diff(l: LoadedInstance, m: CatalogMember, productName: (id: string) => Promise<string>): Promise<FieldChange[]> {
  const out: FieldChange[] = [];
  const add = (field: FieldChange['field'], from: string | boolean, to: string | boolean) => {
    if (from !== to) out.push({ field, from, to });
  };
  if (l.instance.productId !== m.product.id) out.push({ field: 'product', from: await productName(l.instance.productId), to: m.product.name });
  if (l.request) diffRequest(l.request, m, add);
  else if (l.appliance) diffAppliance(l.appliance, m, add);
  return out;
}

type Add = (field: FieldChange['field'], from: string | boolean, to: string | boolean) => void;

function diffRequest(r: CloudRequest, m: CatalogMember, add: Add): void {
  add('size', r.spec.size, m.size.name);
  add('virtualization', r.spec.virtualization, m.virtualization);
  // A cloud request's appliances join the default network, which is all a cloud user may ask.
  add('network', 'default', m.network);
  add('ha', r.spec.ha, m.ha);
}

function networksLabel(first: string, more: readonly string[]): string {
  return [first, ...more].join(', ');
}

function diffAppliance(a: Appliance, m: CatalogMember, add: Add): void {
  const r = a.spec.requirements;
  const sized = (cpu: number, memoryMiB: number, diskMiB: number) => `${cpu} cpu, ${memoryMiB} MiB, ${diskMiB} MiB disk`;
  if (r.cpu !== m.size.cpu || r.memoryMiB !== m.size.memoryMiB || r.diskMiB !== m.size.diskMiB) {
    add('size', sized(r.cpu, r.memoryMiB, r.diskMiB), m.size.name);
  }
  add('virtualization', r.virtualization, m.virtualization);
  // Its networks, the first and then the further ones, in order: any difference is a change.
  add('network', networksLabel(a.spec.network, a.spec.moreNetworks ?? []), networksLabel(m.network, m.moreNetworks));
  add('ha', a.spec.ha, m.ha);
}
