import { describe, expect, it } from 'vitest';
import { annuityPayment } from '../../../src/core/money/annuity.js';
import { parseMoney } from '../../../src/core/money/decimal.js';
import { buildSchedule } from '../../../src/core/money/schedule.js';
import { checkStepShape, negativeAmortisation, paymentReductionPct, type StepPlan } from '../../../src/core/money/step.js';

const balance = parseMoney('30270.00');
const level = annuityPayment(balance, '0.108', 24); // 1,408.01
const plan = (steps: StepPlan['steps']): StepPlan => ({ balance, annualRate: '0.108', termMonths: 24, steps });

describe('checkStepShape (PP-05, docs/domain.md#step-plans)', () => {
  it('accepts a single level step and reproduces the level schedule', () => {
    const result = checkStepShape(plan([{ fromPeriod: 1, payment: level }]));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.schedule.rows).toEqual(buildSchedule({ principal: balance, annualRate: '0.108', amortisationMonths: 24, method: 'EQUAL_INSTALLMENT' }).rows);
  });

  it('accepts a low-then-high plan whose last step repays the rest without a balloon', () => {
    // 900.00 for six months leaves 26,418.83; its 18-month annuity is 1,596.39.
    const result = checkStepShape(plan([
      { fromPeriod: 1, payment: parseMoney('900.00') },
      { fromPeriod: 7, payment: parseMoney('1596.39') },
    ]));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.schedule.rows[5]!.closingBalance).toBe(parseMoney('26418.83'));
      expect(result.schedule.rows.at(-1)).toMatchObject({ payment: parseMoney('1596.32'), closingBalance: 0n });
    }
  });

  it('rejects a last period that exceeds the last step by more than 0.01 per period (a balloon)', () => {
    const r = checkStepShape(plan([{ fromPeriod: 1, payment: parseMoney('900.00') }, { fromPeriod: 7, payment: parseMoney('1590.00') }]));
    expect(r).toMatchObject({ ok: false, problems: ['final payment 1714.20 exceeds the last step plus 0.01 per period (1590.24): a balloon'] });
    expect(r.ok === false && r.asked?.rows).toHaveLength(24); // the plan as asked is kept for G-12
  });

  it('rejects a first step below half the level payment', () => {
    expect(checkStepShape(plan([{ fromPeriod: 1, payment: parseMoney('700.00') }, { fromPeriod: 2, payment: level }]))).toEqual({
      ok: false,
      problems: ['first step 700.00 is below 50% of the level payment 1408.01'],
    });
  });

  it('rejects more than three steps and steps that do not start at 1 or do not increase', () => {
    const r = checkStepShape(plan([
      { fromPeriod: 2, payment: level },
      { fromPeriod: 2, payment: level },
      { fromPeriod: 5, payment: level },
      { fromPeriod: 9, payment: level },
    ]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toContain('a step plan needs 1 to 3 steps, got 4');
      expect(r.problems.filter((p) => p.includes('must start at 1 and strictly increase'))).toHaveLength(2);
    }
  });

  it('rejects payments below the period interest (negative amortisation), reported once with a count', () => {
    const r = checkStepShape(plan([{ fromPeriod: 1, payment: parseMoney('720.00') }, { fromPeriod: 2, payment: parseMoney('260.00') }]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.slice(0, 2)).toEqual(['period 2 pays 260.00, below its interest 268.40', '22 periods in all pay less than their interest']);
      expect(r.problems).toHaveLength(3);
      expect(r.problems[2]).toMatch(/^final payment 30296\.07 exceeds .* a balloon$/);
    }
  });

  it('rejects a plan that pays the balance off before the last period', () => {
    const r = checkStepShape(plan([{ fromPeriod: 1, payment: level }, { fromPeriod: 12, payment: parseMoney('30000.00') }]));
    expect(r).toMatchObject({ ok: false, problems: ['period 12 repays the whole balance before the last period 24'] });
  });

  it('rejects an empty step list', () => {
    expect(checkStepShape(plan([]))).toEqual({ ok: false, problems: ['a step plan needs 1 to 3 steps, got 0'] });
  });
});

describe('negativeAmortisation', () => {
  const s = buildSchedule({ principal: balance, annualRate: '0.108', amortisationMonths: 24, method: 'EQUAL_INSTALLMENT', graceMonths: 3 });

  it('ignores interest-only grace rows but flags an amortising row that does not cover its interest', () => {
    expect(negativeAmortisation(s, 3)).toBe(false);
    const broken = { ...s, rows: s.rows.map((r) => (r.period === 5 ? { ...r, payment: r.interest - 1n } : r)) };
    expect(negativeAmortisation(broken, 3)).toBe(true);
    const underGrace = { ...s, rows: s.rows.map((r) => (r.period === 2 ? { ...r, payment: 0n } : r)) };
    expect(negativeAmortisation(underGrace, 3)).toBe(false);
    expect(negativeAmortisation(underGrace, 1)).toBe(true);
  });
});

describe('paymentReductionPct', () => {
  it('rounds (current − next) / current to four decimals half-up', () => {
    expect(paymentReductionPct(parseMoney('5205.10'), parseMoney('4164.08'))).toBe('0.2000');
    expect(paymentReductionPct(200_000n, 199_999n)).toBe('0.0000'); // 0.000005 → 0.0000
    expect(paymentReductionPct(20_000n, 19_999n)).toBe('0.0001'); // 0.00005 → 0.0001 (half-up)
    expect(paymentReductionPct(100n, 0n)).toBe('1.0000');
    expect(paymentReductionPct(100n, 105n)).toBe('-0.0500');
    expect(paymentReductionPct(0n, 100n)).toBe('0.0000');
  });
});
