import { minorDigits } from '../../domain/pricing.ts';
import { printDetails } from '../output.ts';

/**
 * How `request quote` reads to a person: the price per hour and for the window, in CCU and in
 * the price list's currency, what it is made of, and what room the quotas leave.
 */

export interface Headroom {
  appliances: number | null;
  cpu: number | null;
  memoryMiB: number | null;
  diskMiB: number | null;
  ccuPerMonth: number | null;
}

/** The answer of POST /cloud/quote. */
export interface Quote {
  ccuPerHour: number;
  totalCcu: number;
  currency: { code: string; amount: number };
  components: { component: string; quantity: number; ccuPerHour: number }[];
  quota: { user: Headroom; group: Headroom | null };
  fits: boolean;
  breach: string | null;
}

export interface QuotedOrder {
  product: string;
  size: string;
  quantity: number;
  startAt: string;
  endAt: string;
}

export function printQuote(q: Quote, o: QuotedOrder): void {
  printDetails({
    order: `${o.quantity} × ${o.product} ${o.size}`,
    window: `${o.startAt} → ${o.endAt} (${hours(o.startAt, o.endAt)})`,
    'ccu/h': q.ccuPerHour,
    'total ccu': q.totalCcu,
    cost: `${q.currency.amount.toFixed(minorDigits(q.currency.code))} ${q.currency.code}`,
    components: q.components.map((c) => `${c.component} ×${c.quantity} = ${c.ccuPerHour} CCU/h`).join('; '),
    'quota headroom (user)': headroomText(q.quota.user),
    'quota headroom (group)': q.quota.group ? headroomText(q.quota.group) : 'no group',
    fits: q.fits ? 'yes' : `no: ${q.breach ?? 'over quota'}`,
  });
}

/** `cpu 4 left, memoryMiB 2048 left; the rest unlimited`. */
export function headroomText(h: Headroom): string {
  const set = Object.entries(h).filter(([, v]) => v !== null);
  if (set.length === 0) return 'unlimited';
  const left = set.map(([k, v]) => `${k} ${String(v)} left`).join(', ');
  return set.length < Object.keys(h).length ? `${left}; the rest unlimited` : left;
}

function hours(startAt: string, endAt: string): string {
  const h = (Date.parse(endAt) - Date.parse(startAt)) / 3_600_000;
  return `${Math.round(h * 100) / 100}h`;
}
