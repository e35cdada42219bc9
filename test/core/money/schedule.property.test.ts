import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildScheduleDecimal } from '../../../src/core/money/decimal-schedule.js';
import { buildSchedule, type Schedule, type ScheduleInput } from '../../../src/core/money/schedule.js';

const basisPoints = fc.integer({ min: 0, max: 3600 });
const rateOf = (bp: number): string => `0.${String(bp).padStart(4, '0')}`;
const input = fc.record({
  principal: fc.bigInt({ min: 1n, max: 1_000_000_000n }),
  annualRate: basisPoints.map(rateOf),
  amortisationMonths: fc.integer({ min: 1, max: 480 }),
  method: fc.constantFrom('EQUAL_INSTALLMENT' as const, 'EQUAL_PRINCIPAL' as const),
  graceMonths: fc.integer({ min: 0, max: 12 }),
});

const amortising = (s: Schedule, i: ScheduleInput) => s.rows.slice(i.graceMonths ?? 0);

/**
 * Bound on |last payment − A| for equal installments, in cents. The balance error d_k follows
 * d_k = d_{k−1}(1+r) + ε_k − δ, with |ε_k| ≤ ½ cent (interest rounding) and |δ| ≤ ½ cent (rounding of A),
 * and last − A = d_n, so |last − A| ≤ Σ (1+r)^j over j < n = ((1+r)^n − 1)/r cents. For small n·r that is
 * about n cents (docs/domain.md#rounding-and-the-last-period); at 36% over 480 months it is 4.8e7 cents: rounding residue
 * compounds, and a loan can even repay early (see schedule.test.ts).
 * Checked exactly in integers: r = p/q, so |Δ|·p·q^(n−1) ≤ (q+p)^n − q^n.
 */
function withinDriftBound(diff: bigint, annualRate: string, n: number): boolean {
  const abs = diff < 0n ? -diff : diff;
  const p = BigInt(annualRate.replace('0.', ''));
  if (p === 0n) return abs <= BigInt(n);
  const q = 120_000n;
  return abs * p * q ** BigInt(n - 1) <= (q + p) ** BigInt(n) - q ** BigInt(n);
}

describe('schedule properties (principal 0.01–10,000,000.00, rate 0–36%, term 1–480, grace 0–12)', () => {
  it('repays exactly the opening balance, ends at 0.00, never goes negative and never pays less than the interest', () => {
    fc.assert(
      fc.property(input, (i) => {
        const s = buildSchedule(i);
        const rows = s.rows;
        expect(rows).toHaveLength((i.graceMonths ?? 0) + i.amortisationMonths);
        expect(rows.reduce((a, r) => a + r.principal, 0n)).toBe(i.principal);
        expect(rows.at(-1)?.closingBalance).toBe(0n);
        expect(rows.every((r) => r.payment >= 0n && r.principal >= 0n && r.interest >= 0n && r.closingBalance >= 0n)).toBe(true);
        expect(rows.every((r) => r.payment === r.principal + r.interest)).toBe(true);
        expect(amortising(s, i).every((r) => r.payment >= r.interest)).toBe(true);
        expect(s.totalInterest).toBe(rows.reduce((a, r) => a + r.interest, 0n));
        expect(s.totalPayment).toBe(i.principal + s.totalInterest);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the last equal installment within the compounded rounding bound ((1+r)^n − 1)/r cents of A', () => {
    fc.assert(
      fc.property(input, (i) => {
        const s = buildSchedule({ ...i, method: 'EQUAL_INSTALLMENT' });
        const last = s.rows.at(-1)?.payment ?? 0n;
        const repaidEarly = s.rows.slice(0, -1).some((r) => r.closingBalance === 0n) && i.principal > 0n;
        if (!repaidEarly) expect(withinDriftBound(last - s.regularPayment, i.annualRate, i.amortisationMonths)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never raises an equal-principal payment, except the last by at most the principal rounding residue B − n·P', () => {
    fc.assert(
      fc.property(input, (i) => {
        const s = buildSchedule({ ...i, method: 'EQUAL_PRINCIPAL' });
        const rows = amortising(s, i);
        const n = BigInt(i.amortisationMonths);
        const base = (2n * i.principal + n) / (2n * n);
        const residue = i.principal - n * base;
        const rises = rows.filter((r, k) => k > 0 && r.payment - rows[k - 1]!.payment > (k === rows.length - 1 && residue > 0n ? residue : 0n));
        expect(rises).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('matches the decimal.js reference path row for row (differential)', () => {
    fc.assert(
      fc.property(input, fc.option(fc.constantFrom('2026-01-31', '2026-02-28', '2028-02-29', '2026-08-15'), { nil: undefined }), (i, firstDueDate) => {
        const full = firstDueDate === undefined ? i : { ...i, firstDueDate };
        expect(buildSchedule(full)).toEqual(buildScheduleDecimal(full));
      }),
      { numRuns: 800 },
    );
  });
});
