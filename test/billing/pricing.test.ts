import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chargeBetween, owedAfter } from '../../src/billing/accrual.ts';
import { creditsLastUntil } from '../../src/billing/forecast.ts';
import { levelOf } from '../../src/billing/alerts.ts';
import { nextBoundary, nextPeriod } from '../../src/billing/periods.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import { ccuToMilli, DEFAULT_PRICE_LIST, formatCcu, priceListSchema, priceOf, toCurrency, type PriceList } from '../../src/domain/pricing.ts';

/** The pure parts of billing: prices, rounding, periods, accrual and the forecast. */

const LIST: PriceList = {
  ccuPerHour: { cpu: 2, memoryGiB: 1, diskGiB: 0.1, ha: 3, network: 0.5, virtualization: { container: 0, qemu: 1.5, physical: 10, sim: 0 } },
  currency: { code: 'EUR', ccuPerUnit: 1000 },
  lowBalanceCcu: 100,
  postingPeriodSeconds: 3600,
};

/** A small deterministic generator, so a failing case can be reproduced. */
function* seeded(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield x;
  }
}

describe('priceOf', () => {
  test('prices each component per hour and adds them up', () => {
    const p = priceOf(LIST, { cpu: 2, memoryMiB: 4096, diskMiB: 10_240, ha: true, virtualization: 'qemu' }, 1);
    assert.deepEqual(p.components, [
      { component: 'cpu', unit: 'core', quantity: 2, ccuPerHourMilli: 4000 },
      { component: 'memory', unit: 'GiB', quantity: 4, ccuPerHourMilli: 4000 },
      { component: 'disk', unit: 'GiB', quantity: 10, ccuPerHourMilli: 1000 },
      { component: 'ha', unit: 'appliance', quantity: 1, ccuPerHourMilli: 3000 },
      { component: 'network', unit: 'appliance', quantity: 1, ccuPerHourMilli: 500 },
      { component: 'virtualization:qemu', unit: 'appliance', quantity: 1, ccuPerHourMilli: 1500 },
    ]);
    assert.equal(p.ccuPerHourMilli, 14_000);
  });

  test('quantity multiplies every line; lines with nothing to price are left out, free ones kept', () => {
    const p = priceOf(LIST, { cpu: 1, memoryMiB: 1024, diskMiB: 0, ha: false, virtualization: 'container' }, 3);
    assert.deepEqual(
      p.components.map((c) => [c.component, c.quantity, c.ccuPerHourMilli]),
      [['cpu', 3, 6000], ['memory', 3, 3000], ['network', 3, 1500], ['virtualization:container', 3, 0]],
    );
    assert.equal(p.ccuPerHourMilli, 10_500);
  });

  test('a part of a GiB is rounded up to a whole milli-CCU per hour, once per line', () => {
    // 100 MiB at 1 CCU/GiB = 97.65625 milli-CCU/h → 98; for 3 appliances 292.96875 → 293, not 3 × 98.
    const one = priceOf(LIST, { cpu: 0, memoryMiB: 100, diskMiB: 0, ha: false, virtualization: 'sim' }, 1);
    assert.equal(one.components.find((c) => c.component === 'memory')?.ccuPerHourMilli, 98);
    const three = priceOf(LIST, { cpu: 0, memoryMiB: 100, diskMiB: 0, ha: false, virtualization: 'sim' }, 3);
    assert.equal(three.components.find((c) => c.component === 'memory')?.ccuPerHourMilli, 293);
  });

  test('each configuration group the price list names is a line per appliance; groups it does not name cost nothing', () => {
    const list: PriceList = { ...LIST, ccuPerHour: { ...LIST.ccuPerHour, configGroups: { monitoring: 2.5, backup: 0 } } };
    const p = priceOf(list, { cpu: 1, memoryMiB: 0, diskMiB: 0, ha: false, virtualization: 'sim', configGroups: ['monitoring', 'motd', 'backup'] }, 2);
    assert.deepEqual(
      p.components.map((c) => [c.component, c.quantity, c.ccuPerHourMilli]),
      [['cpu', 2, 4000], ['network', 2, 1000], ['virtualization:sim', 2, 0], ['configGroup:monitoring', 2, 5000], ['configGroup:backup', 2, 0]],
    );
    assert.equal(p.ccuPerHourMilli, 10_000);
    assert.equal(priceOf(list, { cpu: 1, memoryMiB: 0, diskMiB: 0, ha: false, virtualization: 'sim' }, 2).ccuPerHourMilli, 5000, 'no groups, no group lines');
    assert.equal(priceListSchema.safeParse({ ...list, ccuPerHour: { ...list.ccuPerHour, configGroups: { 'not a name': 1 } } }).success, false);
  });

  test('the lines always add up to the total', () => {
    const rnd = seeded(7);
    const next = (n: number): number => (rnd.next().value as number) % n;
    for (let i = 0; i < 500; i++) {
      const p = priceOf(LIST, { cpu: next(65), memoryMiB: next(1_048_577), diskMiB: next(16_777_217), ha: next(2) === 1, virtualization: (['container', 'qemu', 'physical', 'sim'] as const)[next(4)] ?? 'sim' }, 1 + next(100));
      assert.equal(p.components.reduce((s, c) => s + c.ccuPerHourMilli, 0), p.ccuPerHourMilli);
      assert.ok(Number.isSafeInteger(p.ccuPerHourMilli));
    }
  });

  test('refuses a quantity that is not a positive integer', () => {
    const size = { cpu: 1, memoryMiB: 64, diskMiB: 0, ha: false, virtualization: 'sim' as const };
    for (const q of [0, -1, 1.5]) assert.throws(() => priceOf(LIST, size, q), (e) => e instanceof FleetyardError && e.code === 'FY_VALIDATION');
  });
});

describe('amounts', () => {
  test('formatCcu shows exact CCU with three decimals', () => {
    assert.equal(formatCcu(0), '0.000');
    assert.equal(formatCcu(12_345), '12.345');
    assert.equal(formatCcu(-5), '-0.005');
    assert.equal(formatCcu(1_000), '1.000');
    assert.equal(formatCcu(-123_456_789_000), '-123456789.000');
  });

  test('ccuToMilli takes at most three decimals', () => {
    assert.equal(ccuToMilli(1.5), 1500);
    assert.equal(ccuToMilli(0.001), 1);
    assert.equal(ccuToMilli(0.1 + 0.2), 300);
    assert.throws(() => ccuToMilli(0.0001), (e) => e instanceof FleetyardError && e.code === 'FY_VALIDATION');
  });

  test('toCurrency converts in the currency\'s minor unit, rounding half away from zero', () => {
    assert.deepEqual(toCurrency(12_345_000, LIST), { code: 'EUR', amount: '12.35' });
    assert.deepEqual(toCurrency(12_344_999, LIST), { code: 'EUR', amount: '12.34' });
    assert.deepEqual(toCurrency(-12_345_000, LIST), { code: 'EUR', amount: '-12.35' });
    assert.deepEqual(toCurrency(0, LIST), { code: 'EUR', amount: '0.00' });
    assert.deepEqual(toCurrency(2_500_000, { ...LIST, currency: { code: 'JPY', ccuPerUnit: 1 } }), { code: 'JPY', amount: '2500' });
  });

  test('the price list schema checks currency codes and milli precision, and defaults the period', () => {
    const { postingPeriodSeconds: _p, ...withoutPeriod } = DEFAULT_PRICE_LIST;
    assert.equal(priceListSchema.parse(withoutPeriod).postingPeriodSeconds, 3600);
    assert.equal(priceListSchema.safeParse({ ...LIST, currency: { code: 'EURO', ccuPerUnit: 1000 } }).success, false);
    assert.equal(priceListSchema.safeParse({ ...LIST, currency: { code: 'QQQ', ccuPerUnit: 1000 } }).success, false);
    assert.equal(priceListSchema.safeParse({ ...LIST, ccuPerHour: { ...LIST.ccuPerHour, cpu: 0.0005 } }).success, false);
    assert.equal(priceListSchema.safeParse({ ...LIST, extra: 1 }).success, false);
  });
});

describe('periods and accrual', () => {
  const t = (iso: string): Date => new Date(`2026-01-01T${iso}Z`);

  test('periods run to the end of the epoch-aligned window, or to the stop', () => {
    const open = { postedUntil: t('00:20:00').toISOString(), stoppedAt: null };
    assert.equal(nextPeriod(open, 3600, t('00:59:59')), null, 'the current window waits until it has ended');
    assert.deepEqual(nextPeriod(open, 3600, t('01:00:00')), { start: t('00:20:00'), end: t('01:00:00') });
    const stopped = { postedUntil: t('02:00:00').toISOString(), stoppedAt: t('02:50:00').toISOString() };
    assert.deepEqual(nextPeriod(stopped, 3600, t('02:50:00')), { start: t('02:00:00'), end: t('02:50:00') });
    assert.equal(nextPeriod({ postedUntil: t('02:50:00').toISOString(), stoppedAt: t('02:50:00').toISOString() }, 3600, t('09:00:00')), null);
    assert.deepEqual(nextBoundary(t('01:00:00'), 3600), t('02:00:00'));
    assert.deepEqual(nextBoundary(t('01:59:59.999'), 3600), t('02:00:00'));
  });

  test('cut anywhere, the periods of a meter add up to its seconds and its amount exactly', () => {
    const rnd = seeded(11);
    for (let round = 0; round < 200; round++) {
      const rate = (rnd.next().value as number) % 10_000_000;
      const start = Date.parse('2026-01-01T00:00:00Z') + ((rnd.next().value as number) % 3_600_000);
      const total = (rnd.next().value as number) % (50 * 3_600_000);
      const cuts = [start, ...Array.from({ length: 8 }, () => start + ((rnd.next().value as number) % (total + 1))), start + total].sort((a, b) => a - b);
      const meter = { ccuPerHourMilli: rate, startedAt: new Date(start).toISOString() };
      let seconds = 0;
      let amount = 0;
      for (let i = 1; i < cuts.length; i++) {
        const c = chargeBetween(meter, new Date(cuts[i - 1] as number), new Date(cuts[i] as number));
        seconds += c.seconds;
        amount += c.amountMilli;
      }
      assert.equal(seconds, Math.floor(total / 1000));
      assert.equal(amount, owedAfter(rate, Math.floor(total / 1000)));
      assert.ok(rate * (seconds / 3600) - amount < 1, 'at most one milli-CCU is rounded away per meter');
    }
  });
});

describe('forecast and alert levels', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  test('credits last balance / burn hours from now', () => {
    assert.deepEqual(creditsLastUntil({ balanceMilli: 10_000, unpostedMilli: 0, burnMilliPerHour: 2000, now }), new Date('2026-01-01T05:00:00Z'));
    assert.deepEqual(creditsLastUntil({ balanceMilli: 10_000, unpostedMilli: 1000, burnMilliPerHour: 2000, now }), new Date('2026-01-01T04:30:00Z'));
    assert.equal(creditsLastUntil({ balanceMilli: 10_000, unpostedMilli: 0, burnMilliPerHour: 0, now }), null);
    assert.deepEqual(creditsLastUntil({ balanceMilli: -1, unpostedMilli: 0, burnMilliPerHour: 2000, now }), now);
  });

  test('levels: exhausted at or below zero, low below the threshold', () => {
    assert.equal(levelOf(0, 100), 'exhausted');
    assert.equal(levelOf(-5, 100), 'exhausted');
    assert.equal(levelOf(99, 100), 'low');
    assert.equal(levelOf(100, 100), 'ok');
  });
});
