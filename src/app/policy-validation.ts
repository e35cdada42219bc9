import type { PolicyProblem } from '../core/policy/problem.js';
import { runPolicyTests } from '../core/policy-tests/run.js';
import type { PolicyValidationRequest } from '../generated/policy-validation-request.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import { checkInput } from './input.js';
import { compilePolicyText } from './policy-text.js';

function located(p: PolicyProblem) {
  return { file: p.file, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message };
}

/** POST /v1/policies/validate: an editor's policy YAML (and its tests) checked as a reload would, without serving it. */
export async function validatePolicyRequest(input: unknown, makeEvaluator: EvaluatorFactory) {
  const body = checkInput<PolicyValidationRequest>('policyValidationRequest', input, 'Send {policy: "<yaml>", tests?: "<yaml>", fileName?: "<version>.yaml"}.');
  const text = body.policy;
  const file = body.fileName ?? 'policy.yaml';
  const { policy, problems } = compilePolicyText(text, file);
  const all = [...problems];
  let cases: { total: number; passed: number } | undefined;
  if (policy && typeof body.tests === 'string') {
    const report = await runPolicyTests(policy, makeEvaluator(policy), body.tests, file.replace(/\.ya?ml$/, '.test.yaml'));
    all.push(...report.problems);
    cases = { total: report.cases, passed: report.passed };
  }
  const errs = all.filter((p) => p.severity === 'error');
  return {
    valid: errs.length === 0,
    ...(policy ? { policy: { id: policy.id, version: policy.version, rules: policy.rules.length } } : {}),
    ...(cases ? { cases } : {}),
    errors: errs.map(located),
    warnings: all.filter((p) => p.severity === 'warning').map(located),
  };
}
