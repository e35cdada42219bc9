import { Router } from 'express';
import { TideoverError } from '../../../core/errors.js';
import { loadPolicy } from '../../../core/policy/load.js';
import type { PolicyProblem } from '../../../core/policy/problem.js';
import { runPolicyTests } from '../../../core/policy-tests/run.js';
import { ajvProblems } from '../../../core/validation/messages.js';
import { validators } from '../../../core/validation/schemas.js';
import type { PolicyValidationRequest } from '../../../generated/policy-validation-request.js';
import type { EvaluatorFactory } from '../../../ports/evaluator.js';
import type { PolicyRuntime } from '../../../app/policy-runtime.js';
import type { ShadowStats } from '../../../app/shadow-stats.js';
import { sha256 } from '../../policies/file-source.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

function located(p: PolicyProblem) {
  return { file: p.file, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message };
}

/** Policy lifecycle for policy-admin: status of the serving set, safe reload, validation for editors, shadow report. */
export function lifecycleRoutes(deps: { runtime: PolicyRuntime; makeEvaluator: EvaluatorFactory; bodyLimit: number; shadow?: ShadowStats; publicationStatus?: () => Promise<object> }): Router {
  const r = Router();
  const admin = requireRole('policy-admin');

  r.get('/v1/policies/status', admin, async (_req, res) => {
    res.json({ ...deps.runtime.status(), ...(deps.publicationStatus ? await deps.publicationStatus() : {}) });
  });

  r.post('/v1/policies/reload', admin, async (_req, res) => {
    const outcome = await deps.runtime.reload('http');
    res.status(outcome.ok ? 200 : 422).json(outcome);
  });

  r.post('/v1/policies/validate', admin, ...jsonBody(deps.bodyLimit), async (req, res) => {
    if (!validators.policyValidationRequest(req.body)) throw new TideoverError('INVALID_BODY', 'Send {policy: "<yaml>", tests?: "<yaml>", fileName?: "<version>.yaml"}.', ajvProblems(validators.policyValidationRequest.errors));
    const body = req.body as PolicyValidationRequest;
    const text = body.policy;
    const file = body.fileName ?? 'policy.yaml';
    const { policy, problems } = loadPolicy(text, file, sha256(text));
    const all = [...problems];
    let cases: { total: number; passed: number } | undefined;
    if (policy && typeof body.tests === 'string') {
      const report = await runPolicyTests(policy, deps.makeEvaluator(policy), body.tests, file.replace(/\.ya?ml$/, '.test.yaml'));
      all.push(...report.problems);
      cases = { total: report.cases, passed: report.passed };
    }
    const errs = all.filter((p) => p.severity === 'error');
    res.json({
      valid: errs.length === 0,
      ...(policy ? { policy: { id: policy.id, version: policy.version, rules: policy.rules.length } } : {}),
      ...(cases ? { cases } : {}),
      errors: errs.map(located),
      warnings: all.filter((p) => p.severity === 'warning').map(located),
    });
  });

  r.get('/v1/policies/shadow', admin, (_req, res) => {
    res.json(deps.shadow ? { enabled: true, ...deps.shadow.report() } : { enabled: false });
  });
  return r;
}
