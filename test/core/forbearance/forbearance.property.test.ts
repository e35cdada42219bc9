import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import { addDays } from '../../../src/core/money/dates.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import { ROOT, exampleApplication } from '../../helpers/app.js';

const file = 'policies/restructuring/1.1.0.yaml';
const { policy } = loadPolicy(readFileSync(join(ROOT, file), 'utf8'), file, '1'.repeat(64));
const evaluator = new CompiledEvaluator(policy!);
const run = (application: RestructuringApplication) => decide({ application, policy: policy!, evaluator, now: '2026-03-01T10:00:05+08:00', decisionId: 'p', language: 'en', selectedBy: 'test' });

const money = fc.integer({ min: 0, max: 3_000_000 }).map((c) => (c / 100).toFixed(2));
const day = fc.integer({ min: -200, max: 200 }).map((n) => addDays('2026-03-01', n));
const circumstances = fc.record({
  incomeExpenditure: fc.option(
    fc.record({
      capturedAt: fc.constant('2026-02-28'),
      verified: fc.boolean(),
      householdAdults: fc.integer({ min: 1, max: 4 }),
      householdChildren: fc.integer({ min: 0, max: 4 }),
      income: fc.array(fc.record({ type: fc.constantFrom('SALARY', 'BENEFITS', 'OTHER'), monthlyAmount: money }), { maxLength: 3 }),
      expenditure: fc.array(fc.record({ category: fc.constantFrom('HOUSING', 'FOOD_AND_HOUSEKEEPING', 'TRANSPORT', 'HEALTH'), monthlyAmount: money }), { maxLength: 4 }),
      otherCreditorPayments: money,
    }),
    { nil: undefined },
  ),
  vulnerability: fc.option(fc.record({ drivers: fc.constant(['HEALTH']), consentToRecord: fc.boolean() }), { nil: undefined }),
  moratorium: fc.option(
    fc.record({ type: fc.constantFrom('STANDARD', 'MENTAL_HEALTH_CRISIS'), startDate: day, endDate: fc.option(day, { nil: undefined }) }).map((m) => (m.endDate !== undefined && m.endDate < m.startDate ? { ...m, endDate: m.startDate } : m)),
    { nil: undefined },
  ),
  fraudFlag: fc.constantFrom('NONE', 'SUSPECTED', 'CONFIRMED'),
  falseDocumentFlag: fc.boolean(),
  nature: fc.constantFrom('TEMPORARY', 'PERMANENT', 'UNKNOWN'),
  daysPastDue: fc.integer({ min: 0, max: 120 }),
});

type Circumstances = typeof circumstances extends fc.Arbitrary<infer T> ? T : never;
const factsOf = (d: { explanation: { facts: unknown } }) => d.explanation.facts as Record<string, Record<string, unknown> | undefined>;

const applicationOf = (c: Circumstances) => {
  const base = exampleApplication();
  const patch: Record<string, unknown> = {
    borrower: { fraudFlag: c.fraudFlag, falseDocumentFlag: c.falseDocumentFlag, hardship: { nature: c.nature } },
    loan: { daysPastDue: c.daysPastDue, overdueItems: c.daysPastDue ? [{ dueDate: addDays('2026-03-01', -c.daysPastDue), principal: '5000.00', interest: '270.00' }] : [] },
  };
  for (const k of ['incomeExpenditure', 'vulnerability', 'moratorium'] as const) if (c[k] !== undefined) patch[k] = JSON.parse(JSON.stringify(c[k]));
  return deepMerge(base, patch) as RestructuringApplication;
};

describe('forbearance invariants (property, policy 1.1.0)', () => {
  it('a vulnerable customer never has a plan declined unless fraud is confirmed or a document is false', async () => {
    await fc.assert(
      fc.asyncProperty(circumstances, async (c) => {
        const d = await run(applicationOf(c));
        if (c.vulnerability && c.fraudFlag !== 'CONFIRMED' && !c.falseDocumentFlag)
          for (const o of d.options.filter((x) => x.option !== 'PENALTY_WAIVER')) expect(o.decision).not.toBe('DECLINE');
        if (c.vulnerability) expect(d.contactNeeds).toEqual([]);
        else expect(d.contactNeeds).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('during an active moratorium nothing is done to the account (fraud apart), and every plan starts after it ends', async () => {
    await fc.assert(
      fc.asyncProperty(circumstances, async (c) => {
        const d = await run(applicationOf(c));
        const active = factsOf(d).application?.moratoriumActive === true;
        if (active && c.fraudFlag !== 'CONFIRMED') expect(d.accountAction.action).toBe('NONE');
        if (d.moratoriumEnd) for (const o of d.options) if (o.plan) expect(o.plan.firstDueDate > d.moratoriumEnd).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a moratorium never raises penalty interest', async () => {
    await fc.assert(
      fc.asyncProperty(circumstances, async (c) => {
        const withIt = await run(applicationOf(c));
        const without = await run(applicationOf({ ...c, moratorium: undefined }));
        const accrued = (d: typeof withIt) => Number(factsOf(d).PENALTY_WAIVER?.penaltyAccrued);
        expect(accrued(withIt)).toBeLessThanOrEqual(accrued(without));
      }),
      { numRuns: 100 },
    );
  });
});
