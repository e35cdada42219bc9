import { Router } from 'express';
import type { EvaluatorFactory } from '../../../ports/evaluator.js';
import type { PolicyRuntime } from '../../../app/policy-runtime.js';
import { validatePolicyRequest } from '../../../app/policy-validation.js';
import type { ShadowStats } from '../../../app/shadow-stats.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

/** Policy lifecycle for policy-admin: status of the serving set, safe reload, shadow report; validation for whoever edits policy. */
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

  // Validation changes nothing and is what the workbench editor's live markers call: authors and approvers need it too.
  r.post('/v1/policies/validate', requireRole('policy-admin', 'policy-author', 'policy-approver'), ...jsonBody(deps.bodyLimit), async (req, res) => {
    res.json(await validatePolicyRequest(req.body, deps.makeEvaluator));
  });

  r.get('/v1/policies/shadow', admin, (_req, res) => {
    res.json(deps.shadow ? { enabled: true, ...deps.shadow.report() } : { enabled: false });
  });
  return r;
}
