import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money/decimal.js';
import { MoneyInputError } from '../../../src/core/money/errors.js';
import { penaltyAccrued, waiverAmount } from '../../../src/core/money/penalty.js';

const accrue = (items: { dueDate: string; principal: string }[], asOf: string): bigint =>
  penaltyAccrued({ items: items.map((i) => ({ dueDate: i.dueDate, principal: parseMoney(i.principal) })), annualRate: '0.108', multiplier: '1.5', asOf });

describe('penaltyAccrued (ACT/360, simple, on overdue principal only)', () => {
  it('counts actual calendar days: 31 in January, 29 in a leap February', () => {
    // 10,000.00 × 0.162 / 360 = 4.50 a day.
    expect(accrue([{ dueDate: '2026-01-01', principal: '10000.00' }], '2026-02-01')).toBe(parseMoney('139.50'));
    expect(accrue([{ dueDate: '2028-02-01', principal: '10000.00' }], '2028-03-01')).toBe(parseMoney('130.50'));
  });

  it('grows linearly with time: 60 days accrue exactly three times 20 days (no compounding)', () => {
    const twenty = accrue([{ dueDate: '2026-03-01', principal: '5000.00' }], '2026-03-21');
    const sixty = accrue([{ dueDate: '2026-03-01', principal: '5000.00' }], '2026-04-30');
    expect(twenty).toBe(parseMoney('45.00'));
    expect(sixty).toBe(3n * twenty);
  });

  it('rounds each instalment separately and adds them', () => {
    // 333.33 × 0.162/360 × 7 = 1.0499895 → 1.05.
    expect(accrue([{ dueDate: '2026-03-01', principal: '333.33' }], '2026-03-08')).toBe(105n);
    // 1.00 × 0.162/360 × 1 = 0.00045 per item: each rounds to 0.00, so 100 items accrue 0.00, not 0.05.
    const many = Array.from({ length: 100 }, () => ({ dueDate: '2026-03-01', principal: '1.00' }));
    expect(accrue(many, '2026-03-02')).toBe(0n);
  });

  it('accrues nothing on instalments not yet due or due today', () => {
    expect(accrue([{ dueDate: '2026-03-21', principal: '5000.00' }, { dueDate: '2026-04-01', principal: '5000.00' }], '2026-03-21')).toBe(0n);
  });

  it('rounds an exact half cent up', () => {
    // 10.00 × (0.12 × 1.5) / 360 × 1 day = 0.005 exactly → 0.01.
    expect(penaltyAccrued({ items: [{ dueDate: '2026-01-01', principal: 1_000n }], annualRate: '0.12', multiplier: '1.5', asOf: '2026-01-02' })).toBe(1n);
  });

  it('rejects a negative principal and a bad date', () => {
    expect(() => penaltyAccrued({ items: [{ dueDate: '2026-01-01', principal: -1n }], annualRate: '0.1', multiplier: '1', asOf: '2026-02-01' })).toThrowError(MoneyInputError);
    expect(() => accrue([{ dueDate: '2026-02-30', principal: '1.00' }], '2026-03-01')).toThrowError(MoneyInputError);
  });
});

describe('waiverAmount', () => {
  it('waives the full accrued penalty at 100% with no cap', () => {
    expect(waiverAmount(4_500n, '1', null)).toBe(4_500n);
    expect(waiverAmount(4_500n, '1.00', null)).toBe(4_500n);
  });

  it('applies the cap: 50% of 2,400.00 is 1,200.00, capped at 1,000.00', () => {
    expect(waiverAmount(parseMoney('2400.00'), '0.5', parseMoney('1000.00'))).toBe(parseMoney('1000.00'));
    expect(waiverAmount(parseMoney('1800.00'), '0.5', parseMoney('1000.00'))).toBe(parseMoney('900.00'));
  });

  it('rounds the share half-up to the cent', () => {
    expect(waiverAmount(1n, '0.5', null)).toBe(1n); // 0.005 → 0.01
    expect(waiverAmount(45n, '0.333', null)).toBe(15n); // 0.14985 → 0.15
  });

  it('rejects a share above 100% and a negative cap', () => {
    expect(() => waiverAmount(100n, '1.01', null)).toThrowError(MoneyInputError);
    expect(() => waiverAmount(100n, '0.5', -1n)).toThrowError(MoneyInputError);
  });
});
