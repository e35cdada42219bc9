import { createHash } from 'node:crypto';
import { sortProblems, type PolicyProblem } from '../core/policy/problem.js';
import { runPolicyTests, type PolicyTestReport } from '../core/policy-tests/run.js';
import { sameEffectiveFrom } from '../core/policy/version-overlap.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import type { PolicySource } from '../ports/policy-source.js';
import type { LoadedPolicy } from './policy-set.js';

// Kept for callers written against the old location; new code imports the ports.
export type { EvaluatorFactory } from '../ports/evaluator.js';
export type { PolicySource } from '../ports/policy-source.js';

export interface CheckResult {
  ok: boolean;
  loaded: LoadedPolicy[];
  problems: PolicyProblem[];
  reports: PolicyTestReport[];
}

/**
 * Validates a set of policies and runs each one's own test cases. The service never serves a policy
 * whose tests fail, so startup, reload and `tideover policy check` all go through here.
 */
/**
 * `passed`, when given, remembers each policy whose test cases all passed (by the sha256 of the policy and of
 * its tests), and a later check in the same process does not run them again: a reload after a publication
 * tests only the new version, so it swaps in within seconds instead of re-deciding every version's cases.
 */
export async function checkPolicies(source: PolicySource, makeEvaluator: EvaluatorFactory, makeReference?: EvaluatorFactory, passed?: Set<string>): Promise<CheckResult> {
  const problems = [...source.problems];
  const reports: PolicyTestReport[] = [];
  const loaded: LoadedPolicy[] = [];
  for (const { policy, testFile } of source.policies) {
    const evaluator = makeEvaluator(policy);
    loaded.push({ policy, evaluator });
    if (!testFile) {
      problems.push({ file: policy.file, line: 1, column: 1, path: '', code: 'POLICY_TEST_FAILED', severity: 'warning', message: `no test cases: add ${policy.file.replace(/\.ya?ml$/, '.test.yaml')}` });
      continue;
    }
    const key = `${policy.sha256}:${createHash('sha256').update(testFile.text, 'utf8').digest('hex')}`;
    if (passed?.has(key)) continue;
    const report = await runPolicyTests(policy, evaluator, testFile.text, testFile.display, makeReference?.(policy));
    reports.push(report);
    problems.push(...report.problems);
    if (!report.problems.some((p) => p.severity === 'error')) passed?.add(key);
  }
  problems.push(...sameEffectiveFrom(source.policies.map((p) => p.policy)));
  const sorted = sortProblems(problems);
  return { ok: !sorted.some((p) => p.severity === 'error'), loaded, problems: sorted, reports };
}
