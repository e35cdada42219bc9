import { Router } from 'express';
import policySchema from '../../../../schemas/policy.schema.json' with { type: 'json' };

/**
 * GET /v1/schemas/policy.json (open): the policy JSON Schema at a stable address, for the workbench editor and for
 * editors outside it (a `yaml-language-server` modeline can point here). It is the very file the service
 * validates policies with, so completion, hover and validation cannot disagree.
 */
export function schemaRoutes(): Router {
  const r = Router();
  const body = JSON.stringify(policySchema);
  r.get('/v1/schemas/policy.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/schema+json').send(body);
  });
  return r;
}
