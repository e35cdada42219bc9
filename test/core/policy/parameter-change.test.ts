import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { decide } from '../../../src/core/decide/decide.js';
import { JreEvaluator } from '../../../src/core/evaluate/jre-engine.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import { ROOT, exampleApplication } from '../../helpers/app.js';

const TEXT = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');

async function installmentDecision(text: string) {
  const { policy, problems } = loadPolicy(text, 'policies/restructuring/1.0.0.yaml', '0'.repeat(64));
  if (!policy) throw new Error(problems.map((p) => p.message).join('; '));
  // Other debt puts the 6-month installment's debt service at 0.5861: between 55% and 60%.
  const app = deepMerge(exampleApplication(), { borrower: { monthlyDebtServiceOther: '3000.00' }, request: { desiredTermMonths: 6 } }) as RestructuringApplication;
  const d = await decide({ application: app, policy, evaluator: new JreEvaluator(policy), now: '2026-03-01T10:00:00+08:00', decisionId: 'x', language: 'en', selectedBy: 't' });
  const o = d.options.find((x) => x.option === 'INSTALLMENT')!;
  return { decision: o.decision, dsr: (d.explanation.facts as Record<string, Record<string, unknown>>).INSTALLMENT!.postPlanDsr };
}

it('changing one parameter (the DTI approval limit) in a copy of the policy changes the decision, with no code change', async () => {
  const before = await installmentDecision(TEXT);
  const after = await installmentDecision(TEXT.replace('dsrApproveMax: { value: 0.55,', 'dsrApproveMax: { value: 0.60,'));
  // At 55% the 6-month term is unaffordable, so a 9-month term is counter-offered; at 60% the 6 months asked are approved.
  expect(before).toEqual({ decision: 'COUNTEROFFER', dsr: '0.4655' });
  expect(after).toEqual({ decision: 'APPROVE', dsr: '0.5861' });
});
