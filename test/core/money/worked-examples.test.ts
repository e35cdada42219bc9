import { describe, expect, it } from 'vitest';
import { annuityPayment } from '../../../src/core/money/annuity.js';
import { formatCents, parseMoney } from '../../../src/core/money/decimal.js';
import { penaltyAccrued, waiverAmount } from '../../../src/core/money/penalty.js';
import { buildSchedule } from '../../../src/core/money/schedule.js';
import { solveTerm } from '../../../src/core/money/solver.js';
import { paymentReductionPct } from '../../../src/core/money/step.js';
import type { ScheduleRow } from '../../../src/core/money/types.js';

// docs/domain.md#worked-examples, to the cent. Rows are printed as [period, payment, principal, interest, balance].
const show = (r: ScheduleRow): string[] =>
  [r.payment, r.principal, r.interest, r.closingBalance].map(formatCents).map((s, i) => (i === 0 ? `${r.period}:${s}` : s));
const at = (rows: ScheduleRow[], period: number): string[] => show(rows[period - 1] as ScheduleRow);

describe('worked example A (equal installment, 50,000.00 at 10.8% over 12 months)', () => {
  const s = buildSchedule({ principal: parseMoney('50000.00'), annualRate: '0.108', amortisationMonths: 12, method: 'EQUAL_INSTALLMENT' });

  it('rounds the level payment once to 4,414.42 and lets the last period absorb the residue', () => {
    expect(formatCents(s.regularPayment)).toBe('4414.42');
    expect(at(s.rows, 1)).toEqual(['1:4414.42', '3964.42', '450.00', '46035.58']);
    expect(at(s.rows, 2)).toEqual(['2:4414.42', '4000.10', '414.32', '42035.48']);
    expect(at(s.rows, 11)).toEqual(['11:4414.42', '4336.02', '78.40', '4375.05']);
    expect(at(s.rows, 12)).toEqual(['12:4414.43', '4375.05', '39.38', '0.00']);
  });

  it('totals 2,973.05 interest and 52,973.05 paid', () => {
    expect([s.totalPrincipal, s.totalInterest, s.totalPayment].map(formatCents)).toEqual(['50000.00', '2973.05', '52973.05']);
  });
});

describe('worked example B (equal principal, same loan)', () => {
  const s = buildSchedule({ principal: parseMoney('50000.00'), annualRate: '0.108', amortisationMonths: 12, method: 'EQUAL_PRINCIPAL' });

  it('repays 4,166.67 principal eleven times and 4,166.63 last, with declining payments', () => {
    expect(formatCents(s.regularPayment)).toBe('4616.67');
    expect(at(s.rows, 1)).toEqual(['1:4616.67', '4166.67', '450.00', '45833.33']);
    expect(at(s.rows, 2)).toEqual(['2:4579.17', '4166.67', '412.50', '41666.66']);
    expect(at(s.rows, 12)).toEqual(['12:4204.13', '4166.63', '37.50', '0.00']);
  });

  it('totals 2,925.00 interest and 52,925.00 paid', () => {
    expect([s.totalInterest, s.totalPayment].map(formatCents)).toEqual(['2925.00', '52925.00']);
  });
});

describe('worked example C (waive penalty, capitalise interest, 3-month grace, 24 months)', () => {
  const penalty = penaltyAccrued({
    items: [{ dueDate: '2026-03-01', principal: parseMoney('5000.00') }],
    annualRate: '0.108',
    multiplier: '1.5',
    asOf: '2026-03-21',
  });
  const capitalised = parseMoney('30000.00') + parseMoney('270.00');
  const s = buildSchedule({ principal: capitalised, annualRate: '0.108', amortisationMonths: 24, method: 'EQUAL_INSTALLMENT', graceMonths: 3 });

  it('accrues 45.00 penalty over 20 days at 16.2% ACT/360 and waives all of it', () => {
    expect(formatCents(penalty)).toBe('45.00');
    expect(formatCents(waiverAmount(penalty, '1', null))).toBe('45.00');
  });

  it('capitalises to 30,270.00 and charges 272.43 interest-only for three months', () => {
    expect(formatCents(capitalised)).toBe('30270.00');
    expect(s.gracePayment === undefined ? undefined : formatCents(s.gracePayment)).toBe('272.43');
    for (const p of [1, 2, 3]) expect(at(s.rows, p)).toEqual([`${p}:272.43`, '0.00', '272.43', '30270.00']);
  });

  it('re-amortises at 1,408.01 over 24 months, 27 in total', () => {
    expect(formatCents(s.regularPayment)).toBe('1408.01');
    expect(s.rows).toHaveLength(27);
    expect(at(s.rows, 4)).toEqual(['4:1408.01', '1135.58', '272.43', '29134.42']);
    expect(at(s.rows, 5)).toEqual(['5:1408.01', '1145.80', '262.21', '27988.62']);
    expect(at(s.rows, 26)).toEqual(['26:1408.01', '1383.00', '25.01', '1395.47']);
    expect(at(s.rows, 27)).toEqual(['27:1408.03', '1395.47', '12.56', '0.00']);
  });

  it('totals 4,339.55 interest (817.29 in grace) and 34,609.55 paid', () => {
    const graceInterest = s.rows.slice(0, 3).reduce((a, r) => a + r.interest, 0n);
    expect([graceInterest, s.totalInterest - graceInterest, s.totalInterest, s.totalPayment].map(formatCents)).toEqual([
      '817.29',
      '3522.26',
      '4339.55',
      '34609.55',
    ]);
  });

  it('lowers the payment by 72.71% against 5,158.68 for 30,000.00 over its remaining 6 months', () => {
    const original = annuityPayment(parseMoney('30000.00'), '0.108', 6);
    expect(formatCents(original)).toBe('5158.68');
    expect(paymentReductionPct(original, s.regularPayment)).toBe('0.7271');
  });
});

describe('worked example D (term solver, 20% reduction target)', () => {
  const balance = parseMoney('30270.00');
  const current = annuityPayment(balance, '0.108', 6);
  const target = (current * 80n + 50n) / 100n;

  it('starts from A(6) = 5,205.10 and a target of 4,164.08', () => {
    expect([current, target].map(formatCents)).toEqual(['5205.10', '4164.08']);
  });

  it('finds n* = 8 because A(7) = 4,481.35 is above the target and A(8) = 3,938.59 is not', () => {
    expect(formatCents(annuityPayment(balance, '0.108', 7))).toBe('4481.35');
    expect(solveTerm({ balance, annualRate: '0.108', minMonths: 6, maxMonths: 60, maxPayment: target })).toEqual({
      months: 8,
      payment: parseMoney('3938.59'),
    });
  });
});
