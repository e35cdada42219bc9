import type { CompiledPolicy } from '../core/policy/model.js';
import { sortProblems, type PolicyProblem } from '../core/policy/problem.js';
import type { CompiledScreeningPolicy } from '../core/screening/model.js';
import { runScreeningTests } from '../core/screening/policy-tests.js';
import type { PolicyTestReport } from '../core/policy-tests/run.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import { checkPolicies } from './check-policies.js';
import { PolicySet } from './policy-set.js';

/** A policy folder read by the adapter: decision and screening policies, each with its test file. */
export interface ScreeningSource {
  policies: { policy: CompiledPolicy; testFile?: { display: string; text: string } }[];
  screening: { policy: CompiledScreeningPolicy; testFile?: { display: string; text: string } }[];
  problems: PolicyProblem[];
}

export interface ScreeningSetup {
  ok: boolean;
  problems: PolicyProblem[];
  screeningPolicies: CompiledScreeningPolicy[];
  decisionPolicies: PolicySet;
}

/**
 * The policies a screening run uses, each checked by its own tests first: as the service never serves a
 * decision policy whose tests fail, screening never runs a screening policy whose tests fail (or that
 * has none), nor offers from a decision policy that fails.
 */
export async function prepareScreening(source: ScreeningSource, makeEvaluator: EvaluatorFactory, now: string): Promise<ScreeningSetup> {
  const checked = await checkPolicies({ policies: source.policies, problems: source.problems }, makeEvaluator);
  const screening = checkScreeningPolicies(source.screening);
  const sorted = sortProblems([...checked.problems, ...screening.problems]);
  return { ok: checked.ok && !sorted.some((p) => p.severity === 'error'), problems: sorted, screeningPolicies: screening.policies, decisionPolicies: new PolicySet(checked.loaded, checked.problems, now) };
}

/**
 * The screening policies whose own tests pass, every problem found and each policy's test report. A policy
 * without tests is refused; `missingTests` says how loudly (an error where a run would use it, a warning in
 * `tideover policy check`).
 */
export function checkScreeningPolicies(
  found: ScreeningSource['screening'],
  missingTests: 'error' | 'warning' = 'error',
): { policies: CompiledScreeningPolicy[]; problems: PolicyProblem[]; reports: PolicyTestReport[] } {
  const problems: PolicyProblem[] = [];
  const reports: PolicyTestReport[] = [];
  const screeningPolicies: CompiledScreeningPolicy[] = [];
  for (const { policy, testFile } of found) {
    if (!testFile) {
      problems.push({ file: policy.file, line: 1, column: 1, path: '', code: 'POLICY_TEST_FAILED', severity: missingTests, message: `a screening policy needs test cases: add ${policy.file.replace(/\.ya?ml$/, '.test.yaml')}` });
      continue;
    }
    const report = runScreeningTests(policy, testFile.text, testFile.display);
    reports.push(report);
    problems.push(...report.problems);
    if (!report.problems.some((p) => p.severity === 'error')) screeningPolicies.push(policy);
  }
  if (found.length === 0) problems.push({ file: '', line: 1, column: 1, path: '', code: 'POLICY_SEMANTIC', severity: 'error', message: 'no screening policy (kind ScreeningPolicy) in the policy folder' });
  return { policies: screeningPolicies, problems, reports };
}
