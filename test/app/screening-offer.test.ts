import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { prepareScreening, type ScreeningSetup } from '../../src/app/screening-policies.js';
import { decide, decidePlanOptions } from '../../src/core/decide/decide.js';
import { documentsNeeded, offerOfPlans, type Offer, type OfferOption } from '../../src/core/screening/offer.js';
import type { DecisionResult } from '../../src/generated/decision.js';
import { preApplication } from '../../src/core/screening/pre-application.js';
import { screeningValidators } from '../../src/core/screening/schemas.js';
import { screenLoan } from '../../src/core/screening/screen.js';
import type { RestructuringApplication } from '../../src/generated/application.js';
import type { LoanSnapshot } from '../../src/generated/loan-snapshot.js';

const PLAN_OPTIONS = new Set(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN']);

/** The offer read off a full decide() (the definition offerOfPlans is held to): plan options, their decision, plan summary and documents. */
function offerOf(withDocuments: DecisionResult, needed: ReadonlyMap<string, readonly string[]>): Offer {
  return {
    policyVersion: withDocuments.policy.version,
    options: withDocuments.options
      .filter((o) => PLAN_OPTIONS.has(o.option))
      .map((o) => {
        const out: OfferOption = { option: o.option, decision: o.decision, reasonCodes: o.reasonCodes.map((r) => r.code), requiredDocuments: [...(needed.get(o.option) ?? [])] };
        const p = o.plan;
        if (p)
          out.plan = {
            ...(p.graceMonths ? { graceMonths: p.graceMonths } : {}),
            amortisationMonths: p.amortisationMonths,
            totalTermMonths: p.totalTermMonths,
            firstDueDate: p.firstDueDate,
            regularPayment: p.regularPayment,
            ...(p.gracePayment !== undefined ? { gracePayment: p.gracePayment } : {}),
            totalInterest: p.totalInterest,
            paymentReductionPct: p.paymentReductionPct,
          };
        return out;
      }),
  };
}

let setup: ScreeningSetup;
beforeAll(async () => {
  setup = await prepareScreening(await loadPolicyFiles(['policies']), evaluatorFactory('compiled'), '2026-12-01T00:00:00Z');
});

describe('the documents an offer lists as still needed', () => {
  // The offer decides once, with the documents on file; what is still needed is read from the policy's
  // document matrix instead of a second decision. It has to be what that decision would have listed.
  it('are, option by option, the requiredDocuments of deciding the pre-application as it stands, for every HIGH and CRITICAL loan of the sample book', async () => {
    const book = readFileSync('examples/book.ndjson', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LoanSnapshot);
    const policy = setup.screeningPolicies[0]!;
    let compared = 0;
    const reasons = new Set<string>();
    for (const s of book) {
      if (!screeningValidators.loanSnapshot(s)) continue; // the sample book's few invalid records
      const screening = screenLoan(s, policy);
      if (screening.tier !== 'HIGH' && screening.tier !== 'CRITICAL') continue;
      const app = preApplication(s, screening);
      const chosen = setup.decisionPolicies.select(app);
      const asIs = await decide({ application: app, policy: chosen.policy, evaluator: chosen.evaluator, now: app.receivedAt, decisionId: 'd', language: 'en', selectedBy: chosen.selectedBy });
      const needed = documentsNeeded(chosen.policy, app);
      const plans = asIs.options.filter((o) => o.option !== 'PENALTY_WAIVER');
      expect(plans.map((o) => [o.option, needed.byOption.get(o.option)])).toEqual(plans.map((o) => [o.option, o.requiredDocuments]));
      expect(needed.all).toEqual([...new Set(plans.flatMap((o) => o.requiredDocuments))]);
      reasons.add(app.borrower.hardship.reason);
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
    // Both hardship reasons a pre-application can carry, with their different document sets, were met.
    expect([...reasons].sort()).toEqual(['INCOME_REDUCTION', 'UNEMPLOYMENT']);
  });
});

describe('the offer from decidePlanOptions', () => {
  // The run decides only the plan options, without texts, schedules or explanation; the offer has to be
  // exactly the one read from a full decide() of the same application.
  it('equals the offer read from decide(), with and without the documents on file, for every HIGH and CRITICAL loan of the sample book', async () => {
    const book = readFileSync('examples/book.ndjson', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LoanSnapshot);
    const policy = setup.screeningPolicies[0]!;
    let compared = 0;
    const decisions = new Set<string>();
    for (const s of book) {
      if (!screeningValidators.loanSnapshot(s)) continue;
      const screening = screenLoan(s, policy);
      if (screening.tier !== 'HIGH' && screening.tier !== 'CRITICAL') continue;
      const asIs = preApplication(s, screening);
      const chosen = setup.decisionPolicies.select(asIs);
      const needed = documentsNeeded(chosen.policy, asIs);
      const withDocs: RestructuringApplication = { ...asIs, documents: needed.all.map((type) => ({ type, receivedAt: asIs.receivedAt, verified: true })) as RestructuringApplication['documents'] };
      for (const app of [asIs, withDocs]) {
        const input = { application: app, policy: chosen.policy, evaluator: chosen.evaluator, now: app.receivedAt, decisionId: 'd', language: 'en' as const, selectedBy: chosen.selectedBy };
        const full = offerOf(await decide(input), needed.byOption);
        const light = offerOfPlans(chosen.policy.version, await decidePlanOptions(input), needed.byOption);
        expect(JSON.stringify(light)).toBe(JSON.stringify(full));
        for (const o of full.options) decisions.add(`${o.option}:${o.decision}:${o.plan ? 'plan' : ''}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // Granted plans (with their summaries) and refused options were both met.
    expect([...decisions].some((d) => d.endsWith(':plan'))).toBe(true);
    expect([...decisions].some((d) => !d.endsWith(':plan'))).toBe(true);
  });
});
