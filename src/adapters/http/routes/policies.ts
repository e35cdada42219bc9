import { Router } from 'express';
import type { PolicySet } from '../../../app/policy-set.js';
import { requireRole } from '../auth.js';

export function policyRoutes(deps: { policies: () => PolicySet }): Router {
  const r = Router();
  r.get('/v1/policies', requireRole('decide', 'audit', 'policy-admin'), (_req, res) => {
    const set = deps.policies();
    res.json({
      loadedAt: set.loadedAt,
      policies: set.versions.map(({ policy: p }) => ({
        id: p.id,
        version: p.version,
        sha256: p.sha256,
        effectiveFrom: p.metadata.effectiveFrom,
        ...(p.metadata.effectiveTo ? { effectiveTo: p.metadata.effectiveTo } : {}),
        owner: p.metadata.owner,
        description: p.metadata.description,
        rules: p.rules.length,
      })),
    });
  });
  return r;
}
