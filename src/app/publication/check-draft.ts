import { createHash } from 'node:crypto';
import { loadPolicy } from '../../core/policy/load.js';
import type { CompiledPolicy } from '../../core/policy/model.js';
import type { PolicyProblem } from '../../core/policy/problem.js';
import { runPolicyTests } from '../../core/policy-tests/run.js';
import type { LocatedProblem, PolicyCheck, Refusal } from '../../generated/policy-draft.js';
import type { EvaluatorFactory } from '../check-policies.js';
import { semverCompare } from '../policy-set.js';

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function located(p: PolicyProblem): LocatedProblem {
  return { file: p.file, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message };
}

export interface DraftInput {
  policyId: string;
  policy: string;
  tests: string | null;
  /** Versions of this policy already published. */
  published: string[];
}

export interface CheckedDraft {
  check: PolicyCheck;
  policy?: CompiledPolicy;
  version: string | null;
}

/**
 * What `tideover policy check --coverage` says about a draft, plus every reason submit would refuse it:
 * validation errors, no or failing test cases, rules no test case fires, a version not above every
 * published one. The problems are located in `<policyId>/<version>.yaml` and its `.test.yaml`, as the
 * files would be.
 */
export async function checkDraft(d: DraftInput, makeEvaluator: EvaluatorFactory, makeReference?: EvaluatorFactory): Promise<CheckedDraft> {
  const version = /^\s*version:\s*['"]?([0-9A-Za-z.+-]+)/m.exec(d.policy)?.[1] ?? null;
  const file = `${d.policyId}/${version ?? 'draft'}.yaml`;
  const loaded = loadPolicy(d.policy, file, sha256Text(d.policy));
  const problems: PolicyProblem[] = [...loaded.problems];
  const policy = loaded.policy;
  const refusals: Refusal[] = [];
  let tests = { cases: 0, passed: 0, failed: 0 };
  let coverage: PolicyCheck['coverage'] = [];
  const testProblems: PolicyProblem[] = [];
  if (policy && d.tests !== null && d.tests.trim() !== '') {
    const report = await runPolicyTests(policy, makeEvaluator(policy), d.tests, file.replace(/\.yaml$/, '.test.yaml'), makeReference?.(policy));
    testProblems.push(...report.problems);
    tests = { cases: report.cases, passed: report.passed, failed: report.cases - report.passed };
    coverage = Object.entries(report.coverage).map(([ruleId, c]) => ({ ruleId, fired: c.fired, notFired: c.notFired }));
  } else if (policy) coverage = policy.rules.map((r) => ({ ruleId: r.id, fired: 0, notFired: 0 }));
  const all = [...problems, ...testProblems];
  const errors = all.filter((p) => p.severity === 'error');
  const validationErrors = errors.filter((p) => p.code !== 'POLICY_TEST_FAILED');
  const failedCases = testProblems.filter((p) => p.severity === 'error' && p.code === 'POLICY_TEST_FAILED');
  if (validationErrors.length) refusals.push({ reason: 'VALIDATION_ERRORS', message: `${validationErrors.length} validation error(s)`, problems: validationErrors.map(located) });
  if (policy && policy.id !== d.policyId) refusals.push({ reason: 'POLICY_ID_MISMATCH', message: `metadata.id is ${policy.id}, but the draft is for ${d.policyId}` });
  if (policy && tests.cases === 0) refusals.push({ reason: 'NO_TESTS', message: 'the draft has no test cases: PUT them to /v1/policy-drafts/{policyId}/tests' });
  if (failedCases.length || tests.failed > 0)
    refusals.push({ reason: 'TEST_FAILED', message: `${tests.failed} of ${tests.cases} test case(s) fail`, problems: failedCases.map(located) });
  const neverFired = policy ? coverage.filter((c) => c.fired === 0).map((c) => c.ruleId) : [];
  if (policy && neverFired.length) refusals.push({ reason: 'RULE_NEVER_FIRED', message: `no test case fires rule(s) ${neverFired.join(', ')}`, rules: neverFired });
  if (policy) {
    const higher = d.published.filter((v) => semverCompare(policy.version, v) <= 0);
    if (higher.length)
      refusals.push({ reason: 'VERSION_NOT_GREATER', message: `version ${policy.version} is not greater than every published version of ${d.policyId} (published: ${d.published.join(', ')})` });
  }
  return {
    policy,
    version: policy?.version ?? version,
    check: {
      valid: validationErrors.length === 0 && policy !== undefined,
      errors: errors.map(located),
      warnings: all.filter((p) => p.severity === 'warning').map(located),
      tests,
      coverage,
      rulesNeverFired: neverFired,
      submittable: refusals.length === 0 && policy !== undefined,
      refusals,
    },
  };
}
