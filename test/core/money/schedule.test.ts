import { describe, expect, it } from 'vitest';
import { annuityPayment } from '../../../src/core/money/annuity.js';
import { formatCents, parseMoney } from '../../../src/core/money/decimal.js';
import { MoneyInputError } from '../../../src/core/money/errors.js';
import { buildScheduleDecimal } from '../../../src/core/money/decimal-schedule.js';
import { buildSchedule, type ScheduleInput } from '../../../src/core/money/schedule.js';

const both = (input: ScheduleInput) => {
  const fast = buildSchedule(input);
  expect(buildScheduleDecimal(input)).toEqual(fast);
  return fast;
};
const cents = (xs: bigint[]): string[] => xs.map(formatCents);

describe('buildSchedule edge cases (checked against the reference path too)', () => {
  it('splits the balance evenly at a zero rate, the last period taking the remainder', () => {
    const s = both({ principal: parseMoney('100.00'), annualRate: '0', amortisationMonths: 3, method: 'EQUAL_INSTALLMENT' });
    expect(formatCents(s.regularPayment)).toBe('33.33');
    expect(cents(s.rows.map((r) => r.payment))).toEqual(['33.33', '33.33', '33.34']);
    expect(s.totalInterest).toBe(0n);
  });

  it('repays everything plus one month of interest when n = 1', () => {
    const s = both({ principal: parseMoney('1000.00'), annualRate: '0.12', amortisationMonths: 1, method: 'EQUAL_INSTALLMENT' });
    expect(s.rows).toEqual([{ period: 1, payment: 101_000n, principal: 100_000n, interest: 1_000n, closingBalance: 0n }]);
    expect(s.regularPayment).toBe(101_000n);
  });

  it('lets the last period take a balance smaller than n cents (0.05 over 12 months)', () => {
    const s = both({ principal: 5n, annualRate: '0.108', amortisationMonths: 12, method: 'EQUAL_PRINCIPAL' });
    expect(s.rows.slice(0, 11).every((r) => r.principal === 0n && r.payment === 0n)).toBe(true);
    expect(s.rows[11]).toMatchObject({ principal: 5n, payment: 5n, closingBalance: 0n });
  });

  it('never repays more than the balance when the per-period principal rounds up (0.15 over 10 months)', () => {
    // round2(0.15 / 10) = 0.02, and 9 × 0.02 > 0.15: the literal rule would leave a negative balance.
    const s = both({ principal: 15n, annualRate: '0', amortisationMonths: 10, method: 'EQUAL_PRINCIPAL' });
    expect(s.rows.map((r) => r.principal)).toEqual([2n, 2n, 2n, 2n, 2n, 2n, 2n, 1n, 0n, 0n]);
    expect(s.rows.every((r) => r.closingBalance >= 0n)).toBe(true);
  });

  it('keeps a month-end anchor for due dates: Jan 31 → Feb 28 → Mar 31', () => {
    const s = both({ principal: parseMoney('300.00'), annualRate: '0.1', amortisationMonths: 3, method: 'EQUAL_INSTALLMENT', graceMonths: 1, firstDueDate: '2026-01-31' });
    expect(s.rows.map((r) => r.dueDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('charges interest only during grace and leaves the balance unchanged', () => {
    const s = both({ principal: parseMoney('1000.00'), annualRate: '0.12', amortisationMonths: 2, method: 'EQUAL_PRINCIPAL', graceMonths: 2 });
    expect(s.gracePayment).toBe(1_000n);
    expect(s.rows.slice(0, 2)).toEqual([
      { period: 1, payment: 1_000n, principal: 0n, interest: 1_000n, closingBalance: 100_000n },
      { period: 2, payment: 1_000n, principal: 0n, interest: 1_000n, closingBalance: 100_000n },
    ]);
    expect(s.regularPayment).toBe(51_000n); // first amortising payment: 500.00 + 10.00
  });

  it('rounds an exact half-cent level payment up: 1.20 at 35% for one month is 1.235 → 1.24', () => {
    expect(annuityPayment(120n, '0.35', 1)).toBe(124n);
    expect(both({ principal: 120n, annualRate: '0.35', amortisationMonths: 1, method: 'EQUAL_INSTALLMENT' }).regularPayment).toBe(124n);
  });

  it('settles an exact half-cent tie beyond n = 1 exactly: 14,406.00 at 1% over 2 months is 7,212.005', () => {
    // A = B·(1+r)^2/(2+r) with r = 1/1200 is 1442401/200 exactly; a 40-digit quotient can land either side.
    expect(annuityPayment(1_440_600n, '0.01', 2)).toBe(721_201n);
    expect(both({ principal: 1_440_600n, annualRate: '0.01', amortisationMonths: 2, method: 'EQUAL_INSTALLMENT' }).regularPayment).toBe(721_201n);
  });

  it('ends early instead of going negative when rounding drift outgrows the balance (100,000.10 at 36% over 480 months)', () => {
    // A = 3,000.01 while the first interest rounds to 3,000.00: each period overpays by a fraction of a
    // cent and the error compounds at 3% a month, so the balance reaches 0 in period 439.
    const s = both({ principal: parseMoney('100000.10'), annualRate: '0.36', amortisationMonths: 480, method: 'EQUAL_INSTALLMENT' });
    expect(formatCents(s.regularPayment)).toBe('3000.01');
    expect(s.rows.findIndex((r) => r.closingBalance === 0n) + 1).toBe(439);
    expect(s.rows.slice(439).every((r) => r.payment === 0n)).toBe(true);
    expect(s.rows.every((r) => r.principal >= 0n && r.closingBalance >= 0n)).toBe(true);
  });

  it('builds a schedule for a zero balance (grace with nothing owed)', () => {
    const s = both({ principal: 0n, annualRate: '0.1', amortisationMonths: 2, method: 'EQUAL_INSTALLMENT', graceMonths: 1 });
    expect(s.rows.map((r) => r.payment)).toEqual([0n, 0n, 0n]);
  });

  it('rejects a negative principal, a fractional or zero term and a malformed rate', () => {
    const base: ScheduleInput = { principal: 100n, annualRate: '0.1', amortisationMonths: 12, method: 'EQUAL_INSTALLMENT' };
    for (const bad of [{ principal: -1n }, { amortisationMonths: 0 }, { amortisationMonths: 1.5 }, { graceMonths: -1 }, { annualRate: '10%' }, { annualRate: '-0.1' }]) {
      expect(() => buildSchedule({ ...base, ...bad }), JSON.stringify(bad, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toThrowError(MoneyInputError);
    }
  });
});
