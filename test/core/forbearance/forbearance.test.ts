import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import { affordabilityOf } from '../../../src/core/forbearance/affordability.js';
import { moratoriumCovers, moratoriumSpan } from '../../../src/core/forbearance/moratorium.js';
import { recordableApplication, recordableDecision } from '../../../src/core/forbearance/redact.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { IncomeExpenditure, RestructuringApplication } from '../../../src/generated/application.js';
import type { DecisionResult } from '../../../src/generated/decision.js';
import { ROOT, exampleApplication } from '../../helpers/app.js';

const load = (v: string) => {
  const file = `policies/restructuring/${v}.yaml`;
  const { policy } = loadPolicy(readFileSync(join(ROOT, file), 'utf8'), file, v.replace(/\./g, '').padEnd(64, '0'));
  return { policy: policy!, evaluator: new CompiledEvaluator(policy!) };
};
const v100 = load('1.0.0');
const v110 = load('1.1.0');
const app = (patch: unknown) => deepMerge(exampleApplication(), patch) as RestructuringApplication;
const run = (application: RestructuringApplication, p = v110) =>
  decide({ application, policy: p.policy, evaluator: p.evaluator, now: '2026-03-01T10:00:05+08:00', decisionId: 'd-1', language: 'en', selectedBy: 'test' });
const option = (d: DecisionResult, o: string) => d.options.find((x) => x.option === o)!;

const ie = (over: Partial<IncomeExpenditure> = {}): IncomeExpenditure => ({
  capturedAt: '2026-02-28',
  verified: true,
  householdAdults: 2,
  householdChildren: 1,
  income: [{ type: 'SALARY', monthlyAmount: '14000.00' }],
  expenditure: [
    { category: 'HOUSING', monthlyAmount: '4000.00' },
    { category: 'FOOD_AND_HOUSEKEEPING', monthlyAmount: '2000.00' },
    { category: 'TRANSPORT', monthlyAmount: '500.00' },
  ],
  otherCreditorPayments: '1000.00',
  ...over,
});

describe('affordability from income & expenditure', () => {
  it('disposable income is income less spending less other creditors, and may be negative', () => {
    expect(affordabilityOf(ie(), {}).disposableIncome).toBe(650000n);
    expect(affordabilityOf(ie({ income: [{ type: 'BENEFITS', monthlyAmount: '5000.00' }] }), {}).disposableIncome).toBe(-250000n);
  });
  it('the affordable payment is the share of disposable income rounded half-up to the cent', () => {
    // 0.01 × 0.90 = 0.009 → 0.01; 6,500.05 × 0.90 = 5,850.045 → 5,850.05
    expect(affordabilityOf(ie({ income: [{ type: 'SALARY', monthlyAmount: '7500.01' }] }), { affordabilityShare: '0.90' }).affordablePayment).toBe(1n);
    expect(affordabilityOf(ie({ otherCreditorPayments: '999.95' }), { affordabilityShare: '0.90' }).affordablePayment).toBe(585005n);
  });
  it('flexible spending is compared with the household guideline only when the policy gives one', () => {
    expect(affordabilityOf(ie(), {}).flexibleSpendOverGuideline).toBeUndefined();
    const a = affordabilityOf(ie({ householdAdults: 1, householdChildren: 0 }), { guidelinePerAdult: '1500', guidelinePerChild: '800' });
    expect(a).toMatchObject({ flexibleSpend: 250000n, flexibleSpendGuideline: 150000n, flexibleSpendOverGuideline: true });
  });
});

describe('forbearance parameters', () => {
  it('1.1.0 states them; a policy without them (1.0.0) gets no affordability, no extra grace and the statutory defaults', () => {
    expect(v110.policy.forbearance).toEqual({
      affordability: { affordabilityShare: '0.9', guidelinePerAdult: '1500', guidelinePerChild: '800' },
      vulnerableGraceExtraMonths: 3,
      moratorium: { standardDays: 60, crisisExtraDays: 30 },
      arrangement: { trialPayments: 2, paymentToleranceDays: 5, brokenAfterDays: 30, probationMonths: 24 },
    });
    expect(v100.policy.forbearance).toEqual({
      affordability: { affordabilityShare: undefined, guidelinePerAdult: undefined, guidelinePerChild: undefined },
      vulnerableGraceExtraMonths: 0,
      moratorium: { standardDays: 60, crisisExtraDays: 30 },
      arrangement: { trialPayments: 2, paymentToleranceDays: 5, brokenAfterDays: 30, probationMonths: 24 },
    });
  });
});

describe('moratorium spans', () => {
  it('a standard moratorium without an end runs 60 days; a crisis one 30 days past its end, open-ended without one', () => {
    expect(moratoriumSpan({ type: 'STANDARD', startDate: '2026-02-20' })).toEqual({ start: '2026-02-20', end: '2026-04-21' });
    expect(moratoriumSpan({ type: 'STANDARD', startDate: '2026-02-20', endDate: '2026-03-10' })).toEqual({ start: '2026-02-20', end: '2026-03-10' });
    expect(moratoriumSpan({ type: 'MENTAL_HEALTH_CRISIS', startDate: '2026-02-20', endDate: '2026-02-25' })).toEqual({ start: '2026-02-20', end: '2026-03-27' });
    const open = moratoriumSpan({ type: 'MENTAL_HEALTH_CRISIS', startDate: '2026-02-20' });
    expect(open.end).toBeUndefined();
    expect(moratoriumCovers(open, '2030-01-01')).toBe(true);
    expect(moratoriumCovers(open, '2026-02-19')).toBe(false);
  });
});

describe('decide with the forbearance inputs (policy 1.1.0)', () => {
  it('without the new inputs 1.1.0 decides exactly as 1.0.0 did (only the policy reference and the new rules, unfired, differ)', async () => {
    const NEW = /^(AF|VU|MO)-/;
    const strip = (d: DecisionResult) => JSON.stringify({ ...d, policy: undefined, explanation: { ...d.explanation, rules: d.explanation.rules?.filter((r) => !NEW.test(r.ruleId)) } });
    for (const patch of [{}, { borrower: { fraudFlag: 'CONFIRMED' } }, { loan: { daysPastDue: 45 } }, { request: { desiredTermMonths: 24 } }])
      expect(strip(await run(app(patch), v110))).toBe(strip(await run(app(patch), v100)));
  });

  it('plans start after a moratorium ends and the answer carries moratoriumEnd', async () => {
    const d = await run(app({ moratorium: { type: 'STANDARD', startDate: '2026-02-20' } }));
    expect(d.moratoriumEnd).toBe('2026-04-21');
    const plan = option(d, 'INSTALLMENT').plan!;
    // The contractual due day is the 15th: 2026-03-15 and 2026-04-15 fall inside the moratorium.
    expect(plan.firstDueDate).toBe('2026-05-15');
    expect(plan.schedule[0]!.dueDate).toBe('2026-05-15');
    expect(d.accountAction.action).toBe('NONE');
    expect(d.accountAction.reasonCodes.map((r) => r.code)).toEqual(['BREATHING_SPACE_ACTIVE']);
    expect(d.accountAction.reasonCodes[0]!.text).toContain('2026-04-21');
  });

  it('no moratoriumEnd when the moratorium is over or open-ended', async () => {
    expect((await run(app({ moratorium: { type: 'STANDARD', startDate: '2026-01-01', endDate: '2026-01-31' } }))).moratoriumEnd).toBeUndefined();
    expect((await run(app({ moratorium: { type: 'MENTAL_HEALTH_CRISIS', startDate: '2026-02-20' } }))).moratoriumEnd).toBeUndefined();
  });

  it('a vulnerable customer gets contactNeeds in the decision; others get none', async () => {
    const d = await run(app({ vulnerability: { drivers: ['HEALTH'], consentToRecord: false, needs: ['WRITTEN_ONLY', 'LARGE_PRINT'] } }));
    expect(d.contactNeeds).toEqual(['WRITTEN_ONLY', 'LARGE_PRINT']);
    expect(option(d, 'INSTALLMENT').conditions).toContain('RESPECT_CONTACT_NEEDS');
    expect((await run(app({}))).contactNeeds).toBeUndefined();
  });

  it('a referral to debt advice carries REFER_TO_DEBT_ADVICE and the shortfall in its reason text', async () => {
    const d = await run(app({ incomeExpenditure: ie({ income: [{ type: 'SALARY', monthlyAmount: '7000.00' }] }) }));
    const inst = option(d, 'INSTALLMENT');
    expect(inst.decision).toBe('REFER');
    expect(inst.conditions).toEqual(['REFER_TO_DEBT_ADVICE']);
    expect(inst.reasonCodes.find((r) => r.code === 'NO_DISPOSABLE_INCOME')!.text).toContain('-500.00');
  });

  it('a declined plan names the payment and the affordable amount', async () => {
    const d = await run(app({ incomeExpenditure: ie({ income: [{ type: 'SALARY', monthlyAmount: '12000.00' }] }) }));
    const text = option(d, 'INSTALLMENT').reasonCodes.find((r) => r.code === 'PAYMENT_ABOVE_AFFORDABLE')!.text;
    expect(text).toContain('5,205.10');
    expect(text).toContain('4,050.00');
  });
});

describe('vulnerability without consent in the audit record', () => {
  const given = app({ vulnerability: { drivers: ['HEALTH', 'LIFE_EVENT'], consentToRecord: false, needs: ['NO_PHONE'] } });

  it('keeps only that vulnerability was present', () => {
    const recorded = recordableApplication(given);
    expect(recorded.vulnerability).toEqual({ drivers: [], consentToRecord: false });
    expect(JSON.stringify(recorded)).not.toMatch(/HEALTH|LIFE_EVENT|NO_PHONE/);
    expect(recordableApplication(app({ vulnerability: { drivers: ['HEALTH'], consentToRecord: true } })).vulnerability!.drivers).toEqual(['HEALTH']);
  });

  it('replaying the recorded application reproduces the recorded decision byte for byte', async () => {
    const answered = await run(given);
    const recorded = recordableDecision(answered, given);
    expect(JSON.stringify(recorded)).not.toContain('NO_PHONE');
    const replayed = await run(recordableApplication(given));
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(recorded));
  });
});
