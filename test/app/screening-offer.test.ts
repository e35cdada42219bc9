import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { prepareScreening, type ScreeningSetup } from '../../src/app/screening-policies.js';
import { decide } from '../../src/core/decide/decide.js';
import { documentsNeeded } from '../../src/core/screening/offer.js';
import { preApplication } from '../../src/core/screening/pre-application.js';
import { screeningValidators } from '../../src/core/screening/schemas.js';
import { screenLoan } from '../../src/core/screening/screen.js';
import type { LoanSnapshot } from '../../src/generated/loan-snapshot.js';

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
