import { Router, type Request } from 'express';
import { AuditReader, isDecisionId, timeSpan } from '../../../app/audit-reader.js';
import type { DecisionService } from '../../../app/decision-service.js';
import { TideoverError, type FieldProblem } from '../../../app/errors.js';
import type { EvaluatorFactory } from '../../../ports/evaluator.js';
import type { AuditStore } from '../../../ports/audit-store.js';
import { requireRole } from '../auth.js';

function str(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new TideoverError('INVALID_BODY', `query parameter ${name} must be given once`, [{ pointer: `/query/${name}`, message: `${name} must be a single value` }]);
  return v;
}

function checkQuery(req: Request, allowed: string[]): FieldProblem[] {
  return Object.keys(req.query)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ pointer: `/query/${k}`, message: `unknown query parameter ${k.slice(0, 64)}; use ${allowed.join(', ')}` }));
}

function refuse(problems: FieldProblem[]): void {
  if (problems.length) throw new TideoverError('INVALID_BODY', 'Invalid query.', problems);
}

/** Reading the trail (role audit): one decision, filtered pages, NDJSON export, chain verification, replay. */
export function auditRoutes(deps: { audit: AuditStore; service: DecisionService; signingKey: Buffer; makeEvaluator: () => EvaluatorFactory }): Router {
  const r = Router();
  const audit = requireRole('audit');
  const reader = new AuditReader({ audit: deps.audit, decisions: deps.service, makeEvaluator: deps.makeEvaluator, signingKey: deps.signingKey });

  r.get('/v1/decisions/export', audit, async (req, res) => {
    const problems = checkQuery(req, ['from', 'to']);
    const span = timeSpan((k) => str(req, k), problems);
    refuse(problems);
    const records = await reader.export(span);
    res.status(200).type('application/x-ndjson');
    for await (const record of records) {
      if (!res.write(`${JSON.stringify(record)}\n`)) await new Promise((ok) => res.once('drain', ok));
      if (res.destroyed) break;
    }
    res.end();
  });

  r.get('/v1/decisions', audit, async (req, res) => {
    const problems = checkQuery(req, ['applicationId', 'borrowerId', 'from', 'to', 'option', 'decision', 'limit', 'cursor']);
    const q = reader.decisionQuery((k) => str(req, k), problems);
    refuse(problems);
    res.json(await reader.list(q));
  });

  r.get('/v1/decisions/:id', audit, async (req, res) => {
    const id = String(req.params.id);
    if (!isDecisionId(id)) throw new TideoverError('NOT_FOUND', 'No such decision.');
    const problems = checkQuery(req, ['explain']);
    const explain = str(req, 'explain') ?? 'recorded';
    if (explain !== 'recorded' && explain !== 'full') problems.push({ pointer: '/query/explain', message: 'explain must be recorded (as hashed in the chain) or full (rule trees rebuilt)' });
    refuse(problems);
    res.json(await reader.get(id, explain as 'recorded' | 'full'));
  });

  r.post('/v1/decisions/:id/replay', audit, async (req, res) => {
    res.json(await reader.replay(String(req.params.id)));
  });

  r.get('/v1/audit/verify', audit, async (_req, res) => {
    res.json(await reader.verify());
  });
  return r;
}
