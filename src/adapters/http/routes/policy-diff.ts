import { Router } from 'express';
import { diffPolicies } from '../../../app/policy-diff.js';
import { matchesPin, parsePolicyRef, type PolicySet } from '../../../app/policy-set.js';
import { TideoverError, type FieldProblem } from '../../../app/errors.js';
import { compilePolicyText } from '../../../app/policy-text.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

type Side = { version?: unknown; policy?: unknown };

function resolve(name: 'baseline' | 'candidate', side: unknown, set: PolicySet, problems: FieldProblem[]): Parameters<typeof diffPolicies>[0] | undefined {
  const s = (side && typeof side === 'object' ? side : {}) as Side;
  if (typeof s.version === 'string' && s.policy === undefined) {
    const pin = parsePolicyRef(s.version);
    const found = pin ? set.versions.filter((v) => matchesPin(v.policy, pin)) : [];
    if (found.length === 1) return found[0]!.policy;
    problems.push({ pointer: `/${name}/version`, message: `${s.version.slice(0, 80)} is not one loaded version; loaded: ${set.versions.map((v) => `${v.policy.id}@${v.policy.version}`).join(', ') || 'none'}` });
    return undefined;
  }
  if (typeof s.policy === 'string' && s.version === undefined) {
    const { policy, problems: found } = compilePolicyText(s.policy, `${name}.yaml`);
    if (policy) return policy;
    for (const p of found.filter((x) => x.severity === 'error').slice(0, 20)) problems.push({ pointer: `/${name}/policy`, message: `${p.line}:${p.column}: ${p.message}` });
    return undefined;
  }
  problems.push({ pointer: `/${name}`, message: `${name} must be {version: "<id>@<version>"} or {policy: "<yaml>"}` });
  return undefined;
}

/**
 * POST /v1/policies/diff: the semantic diff (`tideover policy diff`) between two policies, each a loaded
 * version or YAML text, so a draft's change is read in words before it is submitted.
 */
export function policyDiffRoutes(deps: { policies: () => PolicySet; bodyLimit: number }): Router {
  const r = Router();
  r.post('/v1/policies/diff', requireRole('policy-author', 'policy-approver', 'policy-admin'), ...jsonBody(deps.bodyLimit), (req, res) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const problems: FieldProblem[] = [];
    const set = deps.policies();
    const baseline = resolve('baseline', body.baseline, set, problems);
    const candidate = resolve('candidate', body.candidate, set, problems);
    if (!baseline || !candidate) throw new TideoverError('INVALID_BODY', 'Send {baseline, candidate}, each {version: "<id>@<version>"} or {policy: "<yaml>"} that loads.', problems);
    res.json(diffPolicies(baseline, candidate));
  });
  return r;
}
