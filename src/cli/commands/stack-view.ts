import { minorDigits } from '../../domain/pricing.ts';
import type { StackDetail, StackPlan } from '../../domain/stack-plan.ts';
import { printDetails, printTable } from '../output.ts';
import { headroomText } from './quote-view.ts';

/**
 * How stacks read to a person: a plan as one row per instance (what happens to it and why), then
 * its price, quota and capacity; a stack as its instances and their states.
 */

const signed = (n: number): string => `${n > 0 ? '+' : ''}${Math.round(n * 1000) / 1000}`;

export function printPlan(p: StackPlan): void {
  const state = p.stack.id === null ? 'new' : `version ${p.stack.version ?? '?'}`;
  process.stdout.write(`stack ${p.stack.name} (${state}): ${p.mode === 'requests' ? 'cloud requests' : 'appliances'}${p.window ? `, ${p.window.startAt} → ${p.window.endAt}` : ''}\n`);
  printTable(p.instances, [
    { header: 'MEMBER', value: (i) => i.member },
    { header: '#', value: (i) => i.ordinal },
    { header: 'ACTION', value: (i) => (i.how ? `${i.action} (${i.how})` : i.action) },
    { header: 'KIND', value: (i) => i.kind },
    { header: 'CURRENT', value: (i) => i.current?.name },
    { header: 'STATE', value: (i) => i.current?.state },
    { header: 'CHANGES', value: (i) => i.changes.map((c) => `${c.field}: ${String(c.from)} → ${String(c.to)}`).join('; ') },
    { header: 'CCU/H', value: (i) => i.ccuPerHour },
  ]);
  const { price } = p;
  const money = `${price.currency.perHour.toFixed(minorDigits(price.currency.code))} ${price.currency.code}/h`;
  printDetails({
    summary: `${p.summary.create} to create, ${p.summary.change} to change, ${p.summary.remove} to remove, ${p.summary.keep} unchanged`,
    'ccu/h': `${price.ccuPerHour} (now ${price.currentCcuPerHour}, change ${signed(price.changeCcuPerHour)}) = ${money}`,
    ...(price.createdTotalCcu !== null ? { 'new requests, total ccu': price.createdTotalCcu } : {}),
    quota: p.quota ? `${p.quota.fits ? 'fits' : `no: ${p.quota.breach ?? 'over quota'}`}; headroom ${headroomText(p.quota.user)}` : 'not bound by a quota (admin)',
    capacity: p.capacity.fits ? 'fits' : `no: ${p.capacity.reason ?? 'no capacity'}`,
  });
  process.stdout.write(p.changes ? (p.fits ? 'apply would make these changes\n' : `apply would be refused: ${p.reasons.join('; ')}\n`) : 'no changes\n');
}

export function printStack(s: StackDetail): void {
  printDetails({ id: s.id, name: s.name, ownerId: s.ownerId, version: s.version, createdAt: s.createdAt, updatedAt: s.updatedAt });
  process.stdout.write('\n');
  printTable(s.instances, [
    { header: 'MEMBER', value: (i) => i.member },
    { header: '#', value: (i) => i.ordinal },
    { header: 'KIND', value: (i) => i.kind },
    { header: 'ID', value: (i) => i.object?.id },
    { header: 'NAME', value: (i) => i.object?.name },
    { header: 'STATE', value: (i) => i.object?.state ?? 'gone' },
    { header: 'ADDRESS', value: (i) => i.object?.address },
    { header: 'REASON', value: (i) => i.object?.reason },
  ]);
}
