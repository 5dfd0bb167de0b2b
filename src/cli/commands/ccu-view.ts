import { readFileSync } from 'node:fs';
import { formatCcu, type PriceComponent, type PriceList } from '../../domain/pricing.ts';
import { usageError } from '../cli-error.ts';
import type { Column } from '../output.ts';

/** The shapes of the /ccu answers and how they read to a person (see ccu.ts). */

export interface Account {
  userId: string;
  balanceMilli: number;
  balanceCcu: string;
  currency: string;
  amount: string;
  unpostedMilli: number;
  burnMilliPerHour: number;
  burnCcuPerHour: string;
  lastsUntil: string | null;
  priceListVersion: number;
}

export interface Entry {
  id: string;
  kind: 'grant' | 'debit' | 'adjustment';
  amountMilli: number;
  amountCcu: string;
  note: string;
  createdAt: string;
  usage: {
    requestId: string;
    periodStart: string;
    periodEnd: string;
    seconds: number;
    ccuPerHourMilli: number;
    components: PriceComponent[];
  } | null;
}

export interface StoredPriceList {
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  priceList: PriceList;
}

export interface RebuildResult {
  users: { userId: string; beforeMilli: number; afterMilli: number }[];
  changed: number;
  problems: { kind: string; userId: string; id: string; message: string }[];
}

const ccuPerHour = (milli: number): string => `${formatCcu(milli)} CCU/h`;

/**
 * Why a debit was made: the posting period, the seconds billed in it, and the price per hour
 * with the components it is the sum of. Grants and adjustments are explained by their note.
 */
export function explain(e: Entry): string {
  const u = e.usage;
  if (!u) return '';
  const parts = u.components.map((c) => `${c.component} ${c.quantity} ${c.unit} ${ccuPerHour(c.ccuPerHourMilli)}`).join(', ');
  return `${u.periodStart} → ${u.periodEnd}: ${u.seconds}s at ${ccuPerHour(u.ccuPerHourMilli)} (${parts}), request ${u.requestId}`;
}

export const ENTRY_COLUMNS: Column<Entry>[] = [
  { header: 'CREATED', value: (e) => e.createdAt },
  { header: 'KIND', value: (e) => e.kind },
  { header: 'CCU', value: (e) => e.amountCcu },
  { header: 'NOTE', value: (e) => e.note },
  { header: 'EXPLANATION', value: (e) => explain(e) },
];

/** `2026-03-02T18:00:00.000Z (in 7h 58m)`, or why there is no such time. */
export function untilText(lastsUntil: string | null, now = Date.now()): string {
  if (!lastsUntil) return 'no end: nothing is burning credits';
  const min = Math.max(0, Math.round((Date.parse(lastsUntil) - now) / 60_000));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const span = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${min % 60}m` : `${min}m`;
  return `${lastsUntil} (in ${span})`;
}

/** A price list file: the bare list, or what `ccu price-list --json` printed (its priceList). */
export function readPriceListFile(path: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw usageError(`cannot read the price list ${path}: ${(e as Error).message}`);
  }
  if (value && typeof value === 'object' && 'priceList' in value) return (value as { priceList: unknown }).priceList;
  return value;
}
