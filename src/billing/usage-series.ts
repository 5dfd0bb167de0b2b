import { FleetyardError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import { BillingRepo } from './billing-repo.ts';

/**
 * A user's CCU over time, for a chart: per hour or day, what was debited, what was credited
 * (grants and adjustments) and the posted balance at the end of the bucket. The store sums the
 * ledger per bucket, so a year of hourly postings costs one grouped query, not a year of rows;
 * every bucket of the span is present, empty ones with zeros, so a chart needs no gap logic.
 */
export type UsageBucket = 'hour' | 'day';

export interface UsagePoint {
  /** The bucket's start (UTC). */
  start: string;
  debitMilli: number;
  creditMilli: number;
  /** The posted balance after the bucket's entries. */
  balanceMilli: number;
}

export interface UsageSeries {
  userId: string;
  bucket: UsageBucket;
  from: string;
  to: string;
  /** The balance before `from`. */
  openingBalanceMilli: number;
  points: UsagePoint[];
}

/** At most this many buckets in one answer (a month of hours, almost three years of days). */
export const MAX_USAGE_POINTS = 1000;

const BUCKET_MS: Record<UsageBucket, number> = { hour: 3_600_000, day: 86_400_000 };
const PREFIX: Record<UsageBucket, 10 | 13> = { hour: 13, day: 10 };

/** The start of the bucket holding `t` (buckets are aligned to UTC hours and days). */
export const bucketStart = (t: Date, bucket: UsageBucket): Date => new Date(Math.floor(t.getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket]);

export async function usageSeries(store: Store, userId: string, span: { from: Date; to: Date; bucket: UsageBucket }): Promise<UsageSeries> {
  if (span.to.getTime() <= span.from.getTime()) throw new FleetyardError('FY_VALIDATION', '`from` must be before `to`', { field: 'from' });
  const step = BUCKET_MS[span.bucket];
  const from = bucketStart(span.from, span.bucket);
  // The bucket holding `to` is included, so "now" is always on the chart.
  const to = new Date(bucketStart(span.to, span.bucket).getTime() + step);
  const count = (to.getTime() - from.getTime()) / step;
  if (count > MAX_USAGE_POINTS) {
    throw new FleetyardError('FY_VALIDATION', `at most ${MAX_USAGE_POINTS} ${span.bucket}s at once; shorten the span or take a larger bucket`, { field: 'from', max: MAX_USAGE_POINTS });
  }
  const repo = new BillingRepo(store.db);
  const opening = await repo.ledgerSum(userId, from.toISOString());
  const sums = new Map((await repo.ledgerBuckets(userId, from.toISOString(), to.toISOString(), PREFIX[span.bucket])).map((b) => [b.bucket, b]));
  let balance = opening;
  const points: UsagePoint[] = [];
  for (let i = 0; i < count; i++) {
    const start = new Date(from.getTime() + i * step).toISOString();
    const s = sums.get(start.slice(0, PREFIX[span.bucket]));
    const debitMilli = s?.debitMilli ?? 0;
    const creditMilli = s?.creditMilli ?? 0;
    balance += creditMilli - debitMilli;
    points.push({ start, debitMilli, creditMilli, balanceMilli: balance });
  }
  return { userId, bucket: span.bucket, from: from.toISOString(), to: to.toISOString(), openingBalanceMilli: opening, points };
}
