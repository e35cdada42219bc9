import { Router } from 'express';
import type { AuditStore } from '../../../ports/audit-store.js';
import type { PolicySet } from '../../../app/policy-set.js';
import type { Metrics } from '../metrics.js';

/** Open routes: liveness, readiness (policies loaded and the audit store can write), metrics, the OpenAPI document. */
export function healthRoutes(deps: { policies: () => PolicySet; audit: AuditStore; metrics: Metrics; isShuttingDown: () => boolean; openapi: Record<string, unknown>; unservable?: (day: string) => Promise<string[]> }): Router {
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    res.json(deps.openapi);
  });
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    checks.policies = deps.policies().versions.length > 0 ? 'ok' : 'no policy loaded';
    // Every configured policy (in POLICY_DIR or published) needs a version effective today.
    const missing = deps.unservable ? await deps.unservable(new Date().toISOString().slice(0, 10)).catch(() => ['(policy store unreadable)']) : [];
    if (checks.policies === 'ok' && missing.length) checks.policies = `no servable version of ${missing.join(', ')}`;
    try {
      await deps.audit.ping();
      checks.audit = 'ok';
    } catch {
      checks.audit = 'cannot write';
    }
    if (deps.isShuttingDown()) checks.shutdown = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return r;
}
