import { z } from 'zod';
import { FleetyardError } from './errors.ts';
import type { Virtualization } from './meta.ts';
import { nameSchema } from './names.ts';

/**
 * Prices in Cloud Computing Units (CCU). People read and write CCU with up to three decimals;
 * everything that is stored, summed or compared is an integer number of milli-CCU, so the ledger
 * never holds a float. `1000 CCU = 1 EUR` (or whatever `currency.ccuPerUnit` says) is only a way
 * of showing a balance; nothing is ever stored in a currency.
 */

export const MILLI_PER_CCU = 1000;

/** Largest milli-CCU amount anything accepts: keeps every sum far inside Number.MAX_SAFE_INTEGER. */
export const MAX_MILLI = 1_000_000_000_000_000;

const hasWholeMilli = (ccu: number): boolean => Math.abs(ccu * MILLI_PER_CCU - Math.round(ccu * MILLI_PER_CCU)) < 1e-6;

/** A CCU amount with at most three decimals, i.e. a whole number of milli-CCU. */
export function ccuAmount(max: number) {
  return z.number().min(0).max(max).refine(hasWholeMilli, 'at most three decimals (whole milli-CCU)');
}

/** Converts CCU with at most three decimals to milli-CCU; refuses anything finer. */
export function ccuToMilli(ccu: number): number {
  if (!Number.isFinite(ccu) || !hasWholeMilli(ccu)) {
    throw new FleetyardError('FY_VALIDATION', `${ccu} CCU is not a whole number of milli-CCU`);
  }
  const milli = Math.round(ccu * MILLI_PER_CCU);
  if (Math.abs(milli) > MAX_MILLI) throw new FleetyardError('FY_VALIDATION', `${ccu} CCU is too large`);
  return milli === 0 ? 0 : milli;
}

const price = ccuAmount(1_000_000);
const isCurrencyCode = (code: string): boolean => Intl.supportedValuesOf('currency').includes(code);

export const priceListSchema = z.strictObject({
  ccuPerHour: z.strictObject({
    cpu: price.meta({ description: 'CCU per hour per CPU core' }),
    memoryGiB: price.meta({ description: 'CCU per hour per GiB of memory' }),
    diskGiB: price.meta({ description: 'CCU per hour per GiB of disk' }),
    ha: price.meta({ description: 'CCU per hour per appliance with high availability' }),
    network: price.meta({ description: 'CCU per hour per appliance (its network interface)' }),
    virtualization: z.strictObject({ container: price, qemu: price, physical: price, sim: price }).meta({
      description: 'CCU per hour per appliance, by virtualization type',
    }),
    configGroups: z
      .record(nameSchema, price)
      .refine((r) => Object.keys(r).length <= 256, 'at most 256 configuration groups')
      .optional()
      .meta({ description: 'CCU per hour per appliance carrying the configuration group, by group name (a group not named here costs nothing)' }),
  }),
  currency: z.strictObject({
    code: z.string().regex(/^[A-Z]{3}$/).refine(isCurrencyCode, 'not an ISO 4217 currency code'),
    ccuPerUnit: ccuAmount(1_000_000_000).refine((n) => n > 0, 'must be positive').meta({ description: 'CCU per currency unit, e.g. 1000' }),
  }),
  lowBalanceCcu: ccuAmount(1_000_000_000).meta({ description: 'Users are warned once when their balance falls below this' }),
  postingPeriodSeconds: z.number().int().min(60).max(31 * 86_400).default(3600).meta({
    description: 'Usage is posted per window of this length, aligned to the Unix epoch',
  }),
});
export type PriceList = z.output<typeof priceListSchema>;

/** What a fresh installation charges until an admin sets a price list. */
export const DEFAULT_PRICE_LIST: PriceList = {
  ccuPerHour: {
    cpu: 1,
    memoryGiB: 1,
    diskGiB: 0.1,
    ha: 1,
    network: 0.1,
    virtualization: { container: 0, qemu: 1, physical: 10, sim: 0 },
  },
  currency: { code: 'EUR', ccuPerUnit: 1000 },
  lowBalanceCcu: 100,
  postingPeriodSeconds: 3600,
};

/** The size of one appliance as priced; the virtualization is the one it runs on, never "any". */
export interface PricedSize {
  cpu: number;
  memoryMiB: number;
  diskMiB: number;
  ha: boolean;
  virtualization: Virtualization;
  /** The configuration groups it carries; those the price list names are billed per appliance. */
  configGroups?: readonly string[] | undefined;
}

export const priceComponentSchema = z.object({
  component: z.string().meta({ description: 'cpu, memory, disk, ha, network, virtualization:<type> or configGroup:<name>' }),
  unit: z.enum(['core', 'GiB', 'appliance']),
  quantity: z.number().meta({ description: 'Units over all appliances of the request (GiB may be fractional)' }),
  ccuPerHourMilli: z.number().int(),
});
export type PriceComponent = z.infer<typeof priceComponentSchema>;

export interface Priced {
  /** Always the sum of the components' ccuPerHourMilli. */
  ccuPerHourMilli: number;
  components: PriceComponent[];
}

/** ceil(a * b / d) on integers, exact at any size. */
function mulDivCeil(a: number, b: number, d: number): number {
  const n = BigInt(a) * BigInt(b);
  const q = n / BigInt(d) + (n % BigInt(d) === 0n ? 0n : 1n);
  if (q > BigInt(MAX_MILLI)) throw new FleetyardError('FY_VALIDATION', 'the price is too large');
  return Number(q);
}

/**
 * The hourly price of `quantity` appliances of `size`. Pure and exact: each line is computed in
 * integers from the milli-CCU prices and, where a size is not a whole unit (MiB priced per GiB),
 * rounded UP to a whole milli-CCU per hour, once per line for the whole quantity. The total is the
 * sum of the lines, so the explanation always adds up to what is charged. Lines with a quantity
 * of zero (no disk, no HA) are left out; lines priced at zero are kept, to explain the total.
 */
export function priceOf(priceList: PriceList, size: PricedSize, quantity: number): Priced {
  if (!Number.isInteger(quantity) || quantity < 1) throw new FleetyardError('FY_VALIDATION', 'quantity must be a positive integer');
  for (const [k, v] of [['cpu', size.cpu], ['memoryMiB', size.memoryMiB], ['diskMiB', size.diskMiB]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new FleetyardError('FY_VALIDATION', `${k} must be a non-negative integer`);
  }
  const p = priceList.ccuPerHour;
  const m = (ccu: number): number => ccuToMilli(ccu);
  const lines: PriceComponent[] = [];
  const add = (component: string, unit: PriceComponent['unit'], units: number, perUnitMilli: number, divisor = 1): void => {
    if (units === 0) return;
    lines.push({ component, unit, quantity: (units * quantity) / divisor, ccuPerHourMilli: mulDivCeil(units * quantity, perUnitMilli, divisor) });
  };
  add('cpu', 'core', size.cpu, m(p.cpu));
  add('memory', 'GiB', size.memoryMiB, m(p.memoryGiB), 1024);
  add('disk', 'GiB', size.diskMiB, m(p.diskGiB), 1024);
  add('ha', 'appliance', size.ha ? 1 : 0, m(p.ha));
  add('network', 'appliance', 1, m(p.network));
  add(`virtualization:${size.virtualization}`, 'appliance', 1, m(p.virtualization[size.virtualization]));
  for (const group of new Set(size.configGroups ?? [])) {
    const rate = p.configGroups?.[group];
    if (rate !== undefined) add(`configGroup:${group}`, 'appliance', 1, m(rate));
  }
  const total = lines.reduce((s, l) => s + l.ccuPerHourMilli, 0);
  if (total > MAX_MILLI) throw new FleetyardError('FY_VALIDATION', 'the price is too large');
  return { ccuPerHourMilli: total, components: lines };
}

/** milli-CCU as a CCU decimal string with exactly three decimals: 12345 → "12.345", -5 → "-0.005". */
export function formatCcu(milli: number): string {
  if (!Number.isSafeInteger(milli)) throw new RangeError(`${milli} is not a whole number of milli-CCU`);
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  return `${sign}${Math.floor(abs / MILLI_PER_CCU)}.${String(abs % MILLI_PER_CCU).padStart(3, '0')}`;
}

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, BHD 3). */
export function minorDigits(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * milli-CCU in the price list's currency, as a decimal string in the currency's minor unit,
 * rounded half away from zero: 12_345_000 milli at 1000 CCU/EUR → { code: 'EUR', amount: '12.35' }.
 * Exact integer arithmetic; only for showing, never stored.
 */
export function toCurrency(milli: number, priceList: PriceList): { code: string; amount: string } {
  const code = priceList.currency.code;
  const digits = minorDigits(code);
  const perUnitMilli = BigInt(ccuToMilli(priceList.currency.ccuPerUnit));
  const abs = BigInt(Math.abs(milli)) * 10n ** BigInt(digits);
  const minor = (2n * abs + perUnitMilli) / (2n * perUnitMilli);
  const scale = 10n ** BigInt(digits);
  const whole = (minor / scale).toString();
  const frac = digits > 0 ? `.${(minor % scale).toString().padStart(digits, '0')}` : '';
  return { code, amount: `${milli < 0 && minor > 0n ? '-' : ''}${whole}${frac}` };
}
