import { Router } from 'express';
import { TideoverError } from '../../../app/errors.js';
import type { PublishedVersion } from '../../../ports/policy-store.js';
import { requireRole } from '../auth.js';

const ID = /^[a-z][a-z0-9-]{0,63}$/;
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$/;

/**
 * GET /v1/policies/{policyId}/versions/{version}: one published version with its YAML and test YAML, so an
 * author (in the workbench or with curl) starts a draft from what serves, and a reviewer reads what was approved.
 */
export function policyVersionRoutes(deps: { published: () => Promise<PublishedVersion[]> }): Router {
  const r = Router();
  r.get('/v1/policies/:policyId/versions/:version', requireRole('policy-author', 'policy-approver', 'policy-admin', 'audit'), async (req, res) => {
    const { policyId, version } = req.params as { policyId: string; version: string };
    const bad = [...(ID.test(policyId) ? [] : [{ pointer: '/path/policyId', message: `policyId must match ${ID.source}` }]), ...(VERSION.test(version) ? [] : [{ pointer: '/path/version', message: 'version must be a semantic version such as 1.2.0' }])];
    if (bad.length) throw new TideoverError('INVALID_BODY', 'The policy id or version is not well formed.', bad);
    const found = (await deps.published()).find((p) => p.policyId === policyId && p.version === version);
    if (!found) throw new TideoverError('NOT_FOUND', `${policyId}@${version} is not published.`);
    res.json(found);
  });
  return r;
}
