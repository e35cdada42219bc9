import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annuityPayment } from '../../../src/core/money/annuity.js';
import { parseMoney } from '../../../src/core/money/decimal.js';
import { solveTerm } from '../../../src/core/money/solver.js';

describe('solveTerm', () => {
  const balance = parseMoney('30270.00');

  it('returns null when even the longest term pays more than the target', () => {
    expect(solveTerm({ balance, annualRate: '0.108', minMonths: 6, maxMonths: 60, maxPayment: parseMoney('272.43') })).toBeNull();
  });

  it('returns the shortest term when it already meets the target', () => {
    expect(solveTerm({ balance, annualRate: '0.108', minMonths: 6, maxMonths: 60, maxPayment: parseMoney('5205.10') })).toEqual({
      months: 6,
      payment: parseMoney('5205.10'),
    });
  });

  it('returns null for an empty range', () => {
    expect(solveTerm({ balance, annualRate: '0.108', minMonths: 10, maxMonths: 9, maxPayment: balance })).toBeNull();
  });

  it('agrees with a month-by-month scan (the closed form is never used)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 100_000_000n }),
        fc.integer({ min: 0, max: 3600 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 60 }),
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        (b, bp, min, span, target) => {
          const annualRate = `0.${String(bp).padStart(4, '0')}`;
          const max = min + span;
          let expected: { months: number; payment: bigint } | null = null;
          for (let n = min; n <= max && expected === null; n++) {
            const payment = annuityPayment(b, annualRate, n);
            if (payment <= target) expected = { months: n, payment };
          }
          expect(solveTerm({ balance: b, annualRate, minMonths: min, maxMonths: max, maxPayment: target })).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
