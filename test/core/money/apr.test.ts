import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aprIrr } from '../../../src/core/money/apr.js';
import { Dec, decimalFromCents, parseMoney } from '../../../src/core/money/decimal.js';
import { MoneyInputError } from '../../../src/core/money/errors.js';
import { buildSchedule } from '../../../src/core/money/schedule.js';

const payments = (s: { rows: { payment: bigint }[] }): bigint[] => s.rows.map((r) => r.payment);

/** Σ CF_k / (1 + apr/12)^k − PV at 40 digits: decreasing in apr, zero at the IRR. */
function npv(apr: Dec, pv: bigint, cf: bigint[]): Dec {
  const v = new Dec(1).div(apr.div(12).plus(1));
  let acc = new Dec(0);
  for (let k = cf.length - 1; k >= 0; k--) acc = acc.plus(decimalFromCents(cf[k]!)).times(v);
  return acc.minus(decimalFromCents(pv));
}

describe('aprIrr', () => {
  it('gives the contract rate for worked example A, with or without a hint', () => {
    const s = buildSchedule({ principal: parseMoney('50000.00'), annualRate: '0.108', amortisationMonths: 12, method: 'EQUAL_INSTALLMENT' });
    expect(aprIrr(parseMoney('50000.00'), payments(s))).toBe('0.108000');
    expect(aprIrr(parseMoney('50000.00'), payments(s), '0.108')).toBe('0.108000');
  });

  it('gives about the contract rate for a plan with a grace period (worked example C)', () => {
    const s = buildSchedule({ principal: parseMoney('30270.00'), annualRate: '0.108', amortisationMonths: 24, method: 'EQUAL_INSTALLMENT', graceMonths: 3 });
    expect(aprIrr(parseMoney('30270.00'), payments(s), '0.108')).toBe('0.108000');
  });

  it('gives 0.000000 when the payments add up to the amount financed', () => {
    const s = buildSchedule({ principal: parseMoney('1000.00'), annualRate: '0', amortisationMonths: 7, method: 'EQUAL_INSTALLMENT' });
    expect(aprIrr(parseMoney('1000.00'), payments(s))).toBe('0.000000');
  });

  it('gives a negative rate when less is repaid than was lent', () => {
    const apr = aprIrr(10_000n, [5_000n, 4_000n]);
    expect(apr).toMatch(/^-0\.\d{6}$/);
    expect(npv(new Dec(apr).minus('0.0000005'), 10_000n, [5_000n, 4_000n]).gte(0)).toBe(true);
    expect(npv(new Dec(apr).plus('0.0000005'), 10_000n, [5_000n, 4_000n]).lte(0)).toBe(true);
  });

  it('rejects a non-positive amount, negative payments and all-zero payments', () => {
    expect(() => aprIrr(0n, [1n])).toThrowError(MoneyInputError);
    expect(() => aprIrr(100n, [200n, -1n])).toThrowError(MoneyInputError);
    expect(() => aprIrr(100n, [0n, 0n])).toThrowError(MoneyInputError);
  });

  it('returns the IRR rounded to 6 places: the NPV changes sign within half a unit of the last place', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 300, max: 1500 }), (cf, permille) => {
        const pv = (cf.reduce((a, b) => a + b, 0n) * BigInt(permille)) / 1000n;
        fc.pre(pv > 0n);
        const apr = new Dec(aprIrr(pv, cf));
        expect(npv(apr.minus('0.0000005'), pv, cf).gte(0)).toBe(true);
        expect(npv(apr.plus('0.0000005'), pv, cf).lte(0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the hint, which only chooses where Newton starts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 100n, max: 1_000_000_000n }), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 9999 }), (b, bp, n, hint) => {
        const rate = `0.${String(bp).padStart(4, '0')}`;
        const cf = payments(buildSchedule({ principal: b, annualRate: rate, amortisationMonths: n, method: 'EQUAL_INSTALLMENT' }));
        expect(aprIrr(b, cf, `0.${String(hint).padStart(4, '0')}`)).toBe(aprIrr(b, cf));
      }),
      { numRuns: 300 },
    );
  });

  it('differs from the contract rate of an annuity only by the effect of rounding its payments', () => {
    // Rounding A to the cent and the last-period residue make the payments CF_k differ from the exact
    // annuity, so at the contract rate r their present value misses the balance: ΔPV = Σ CF_k·v^k − B,
    // v = 1/(1+r). One Newton step from r, ΔPV / Σ k·CF_k·v^(k+1) a month (×12 a year), predicts the
    // IRR to second order. That shift scales with 1/balance: under 1e-6 from about 100,000.00 up, near
    // 1e-4 at a few hundred, and total for 0.01 over 12 months (no interest at all, APR 0). So the
    // bound is per case: 5e-7 for rounding to 6 places plus 1% of the shift for second-order terms.
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1_000_000_000n }), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 480 }), (b, bp, n) => {
        const rate = `0.${String(bp).padStart(4, '0')}`;
        const cf = payments(buildSchedule({ principal: b, annualRate: rate, amortisationMonths: n, method: 'EQUAL_INSTALLMENT' }));
        const v = new Dec(1).div(new Dec(rate).div(12).plus(1));
        let pv = new Dec(0);
        let slope = new Dec(0);
        cf.forEach((c, i) => {
          const discounted = decimalFromCents(c).times(v.pow(i + 1));
          pv = pv.plus(discounted);
          slope = slope.plus(discounted.times(i + 1).times(v));
        });
        const shift = pv.minus(decimalFromCents(b)).div(slope).times(12);
        fc.pre(shift.abs().lt('0.0001')); // beyond this, second-order terms are no longer negligible
        const apr = new Dec(aprIrr(b, cf, rate));
        expect(apr.minus(rate).minus(shift).abs().lte(shift.abs().times('0.01').plus('0.0000005'))).toBe(true);
        if (shift.abs().lt('1e-8')) expect(apr.toFixed(6)).toBe(new Dec(rate).toFixed(6));
      }),
      { numRuns: 300 },
    );
  });
});
