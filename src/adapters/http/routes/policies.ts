import { Router } from 'express';
import type { PolicySet } from '../../../app/policy-set.js';
import type { PublishedVersion } from '../../../ports/policy-store.js';
import { requireRole } from '../auth.js';

/** Serving versions; with publication, who authored, submitted and approved each (repository-review for files). */
export function policyRoutes(deps: { policies: () => PolicySet; published?: () => Promise<PublishedVersion[]> }): Router {
  const r = Router();
  r.get('/v1/policies', requireRole('decide', 'audit', 'policy-admin', 'policy-author', 'policy-approver'), async (_req, res) => {
    const set = deps.policies();
    const approvals = new Map((deps.published ? await deps.published() : []).map((v) => [`${v.policyId}@${v.version}`, v]));
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
        ...approval(approvals.get(`${p.id}@${p.version}`)),
      })),
    });
  });
  return r;
}

function approval(v: PublishedVersion | undefined) {
  if (!v) return {};
  return { origin: v.origin, author: v.author, submittedBy: v.submittedBy, submittedAt: v.submittedAt, approvedBy: v.approvedBy, approvedAt: v.approvedAt, ...(v.changeId ? { changeId: v.changeId } : {}), ...(v.comment ? { comment: v.comment } : {}) };
}
